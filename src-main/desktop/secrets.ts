import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '@shared/rpc/errors';
import type { SecretStore } from '../host';
import type { SafeStorageLike } from './electron-like';

type SecretFile = Record<string, string>;

/**
 * Passwords (SMTP app passwords, gateway tokens) encrypted with the OS keychain through Electron's
 * safeStorage, kept as base64 in one JSON file in the user's data folder. Without a keychain it refuses
 * to store anything rather than fall back to clear text.
 */
export class SafeStorageSecretStore implements SecretStore {
  /** Writes run one after another, so two saves in a row never lose one of them. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly file: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  async get(name: string): Promise<string | null> {
    const encrypted = (await this.read())[name];
    if (encrypted === undefined) return null;
    this.assertEncryption();
    return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
  }

  async set(name: string, value: string): Promise<void> {
    this.assertEncryption();
    const encrypted = this.safeStorage.encryptString(value).toString('base64');
    await this.update((secrets) => {
      secrets[name] = encrypted;
      return true;
    });
  }

  async delete(name: string): Promise<boolean> {
    return this.update((secrets) => {
      if (!Object.hasOwn(secrets, name)) return false;
      delete secrets[name];
      return true;
    });
  }

  private assertEncryption(): void {
    // On Linux without a keyring Electron falls back to "basic_text": a key built into Chromium, clear text in effect.
    const basicText = this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend?.() === 'basic_text';
    if (this.safeStorage.isEncryptionAvailable() && !basicText) return;
    throw new AppError(
      'HostUnavailable',
      'Passwords cannot be stored safely on this computer because no system keychain is available ' +
        '(on Linux, install and unlock GNOME Keyring or KWallet). Nothing was saved.',
      { reason: basicText ? 'basicTextKeyring' : 'encryptionUnavailable' },
    );
  }

  /** `change` edits the secrets in place and says whether anything changed (only then is the file rewritten). */
  private update(change: (secrets: SecretFile) => boolean): Promise<boolean> {
    const run = this.queue.then(async () => {
      const secrets = await this.read();
      if (!change(secrets)) return false;
      await this.write(secrets);
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  /** Write a temporary file then rename it: a crash mid-write leaves the old file whole, never half a file. */
  private async write(secrets: SecretFile): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

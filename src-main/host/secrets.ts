import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from './types';

export const SECRETS_FILE = 'secrets.json';

const fileSchema = z.record(z.string(), z.string());

/**
 * Web mode's secret store: a JSON file only the user can read (0600 in a 0700 folder). The desktop
 * app uses Electron's safeStorage instead; a browser-only host has no OS keychain to reach.
 */
export class FileSecretStore implements SecretStore {
  private readonly path: string;
  private cache: Promise<Map<string, string>> | undefined;
  /** Writes run one after another, so two quick `set`s never lose one another's secret. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.path = join(dir, SECRETS_FILE);
  }

  async get(name: string): Promise<string | null> {
    return (await this.load()).get(name) ?? null;
  }

  set(name: string, value: string): Promise<void> {
    return this.update((secrets) => {
      secrets.set(name, value);
      return true;
    }).then(() => undefined);
  }

  delete(name: string): Promise<boolean> {
    return this.update((secrets) => secrets.delete(name));
  }

  private update(change: (secrets: Map<string, string>) => boolean): Promise<boolean> {
    const next = this.queue.then(async () => {
      // Change a copy, so a failed write leaves memory agreeing with the file.
      const secrets = new Map(await this.load());
      const changed = change(secrets);
      if (changed) {
        await this.write(secrets);
        this.cache = Promise.resolve(secrets);
      }
      return changed;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load(): Promise<Map<string, string>> {
    this.cache ??= this.read().catch((err: unknown) => {
      this.cache = undefined;
      throw err;
    });
    return this.cache;
  }

  private async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    // A file copied in with wider permissions is narrowed again: it holds mail passwords.
    if (((await stat(this.path)).mode & 0o077) !== 0) await chmod(this.path, 0o600);
    return new Map(Object.entries(fileSchema.parse(JSON.parse(text))));
  }

  /** Atomic replace: a crash leaves either the old file or the new one, never half of one. */
  private async write(secrets: Map<string, string>): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(tmp, 'wx', 0o600);
    try {
      await file.writeFile(JSON.stringify(Object.fromEntries(secrets), null, 2), 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/rpc/errors';
import { SafeStorageSecretStore } from '../../../src-main/desktop/secrets';
import { createFakeElectron } from './desktop-fake-electron';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secrets-'));
  file = join(dir, 'nested', 'secrets.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('passwords in the OS keychain (safeStorage)', () => {
  it('a saved password reads back, and the file holds only the encrypted form', async () => {
    const { safeStorage } = createFakeElectron().electron;
    const store = new SafeStorageSecretStore(safeStorage, file, 'darwin');

    await store.set('smtp.main', 'app-password-123');

    expect(await store.get('smtp.main')).toBe('app-password-123');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('app-password-123');
    const saved = JSON.parse(text) as Record<string, string>;
    expect(safeStorage.decryptString(Buffer.from(saved['smtp.main']!, 'base64'))).toBe('app-password-123');
  });

  it('the file is readable by the user only', async () => {
    const store = new SafeStorageSecretStore(createFakeElectron().electron.safeStorage, file, 'darwin');
    await store.set('a', 'x');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('survives a restart of the app', async () => {
    const { safeStorage } = createFakeElectron().electron;
    await new SafeStorageSecretStore(safeStorage, file, 'win32').set('sms.token', 'tok');
    expect(await new SafeStorageSecretStore(safeStorage, file, 'win32').get('sms.token')).toBe('tok');
  });

  it('an unknown password is null and deleting it says nothing was there', async () => {
    const store = new SafeStorageSecretStore(createFakeElectron().electron.safeStorage, file, 'darwin');
    expect(await store.get('missing')).toBeNull();
    expect(await store.delete('missing')).toBe(false);
  });

  it('a deleted password is gone', async () => {
    const store = new SafeStorageSecretStore(createFakeElectron().electron.safeStorage, file, 'darwin');
    await store.set('a', '1');
    await store.set('b', '2');
    expect(await store.delete('a')).toBe(true);
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toBe('2');
  });

  it('two saves at the same moment both stick, and no temporary file is left behind', async () => {
    const store = new SafeStorageSecretStore(createFakeElectron().electron.safeStorage, file, 'darwin');
    await Promise.all([store.set('a', '1'), store.set('b', '2'), store.set('c', '3')]);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual(['1', '2', '3']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['secrets.json']);
  });

  it('without a keychain nothing is stored, and the error says why', async () => {
    const { safeStorage } = createFakeElectron({ encryptionAvailable: false }).electron;
    const store = new SafeStorageSecretStore(safeStorage, file, 'darwin');

    const error = await store.set('smtp.main', 'secret').catch((err: unknown) => err);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('HostUnavailable');
    expect((error as AppError).message).toMatch(/keychain/);
    await expect(stat(file)).rejects.toThrow();
  });

  it('on Linux without a keyring (basic_text, a key built into Chromium) nothing is stored either', async () => {
    const { safeStorage } = createFakeElectron().electron;
    const store = new SafeStorageSecretStore({ ...safeStorage, getSelectedStorageBackend: () => 'basic_text' }, file, 'linux');

    await expect(store.set('smtp.main', 'secret')).rejects.toMatchObject({
      code: 'HostUnavailable',
      details: { reason: 'basicTextKeyring' },
    });
    await expect(stat(file)).rejects.toThrow();
  });

  it('on Linux with GNOME Keyring passwords are stored', async () => {
    const { safeStorage } = createFakeElectron().electron;
    const store = new SafeStorageSecretStore({ ...safeStorage, getSelectedStorageBackend: () => 'gnome_libsecret' }, file, 'linux');
    await store.set('smtp.main', 'secret');
    expect(await store.get('smtp.main')).toBe('secret');
  });
});

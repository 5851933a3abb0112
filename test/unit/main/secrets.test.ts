import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../src-main/host';
import { SECRETS_FILE } from '../../../src-main/host/secrets';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'secrets-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('passwords in web mode are readable by the user only', () => {
  it('the secrets file is 0600 in a 0700 folder', async () => {
    const dir = join(root, 'data');
    await new FileSecretStore(dir).set('smtp.dana', 'app-password');
    expect(await mode(join(dir, SECRETS_FILE))).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
  });

  it('a saved password is still there after a restart', async () => {
    await new FileSecretStore(root).set('smtp.dana', 'app-password');
    expect(await new FileSecretStore(root).get('smtp.dana')).toBe('app-password');
    expect(await new FileSecretStore(root).get('smtp.other')).toBeNull();
  });

  it('deleting a password removes it and says whether there was one', async () => {
    const store = new FileSecretStore(root);
    await store.set('smtp.dana', 'app-password');
    expect(await store.delete('smtp.dana')).toBe(true);
    expect(await store.delete('smtp.dana')).toBe(false);
    expect(await new FileSecretStore(root).get('smtp.dana')).toBeNull();
  });

  it('saving two passwords at once keeps both, and leaves no temporary files', async () => {
    const store = new FileSecretStore(root);
    await Promise.all([store.set('a', '1'), store.set('b', '2'), store.set('c', '3')]);
    const fresh = new FileSecretStore(root);
    expect([await fresh.get('a'), await fresh.get('b'), await fresh.get('c')]).toEqual(['1', '2', '3']);
    expect(await readdir(root)).toEqual([SECRETS_FILE]);
  });

  it('a secrets file readable by others is narrowed to 0600', async () => {
    const path = join(root, SECRETS_FILE);
    await writeFile(path, JSON.stringify({ a: '1' }));
    await chmod(path, 0o644);
    expect(await new FileSecretStore(root).get('a')).toBe('1');
    expect(await mode(path)).toBe(0o600);
  });
});

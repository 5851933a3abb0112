import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost } from '../../../src-main/host';
import { BackupFolder } from '../../../src-main/host/backups';
import { FileSecretStore } from '../../../src-main/host/secrets';

const DAY = 24 * 3_600_000;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ap-backups-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('automatic backups on disk', () => {
  it('are readable only by the user and listed newest first', async () => {
    const dir = tempDir();
    const folder = new BackupFolder(dir);
    await folder.write('auto-1.json', '{"a":1}', 7);
    await folder.write('auto-2.json', '{"a":2}', 7);
    expect(statSync(join(dir, 'backups', 'auto-1.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'backups')).mode & 0o777).toBe(0o700);
    expect((await folder.list()).map((b) => b.name)).toHaveLength(2);
    expect(await folder.read('auto-2.json')).toBe('{"a":2}');
  });

  it('are kept for N days, then removed when the next one is written', async () => {
    const folder = new BackupFolder(tempDir());
    await folder.write('auto-old.json', '{}', 3);
    await folder.write('auto-new.json', '{}', 3, Date.now() + 4 * DAY);
    expect((await folder.list()).map((b) => b.name)).toEqual(['auto-new.json']);
  });

  it('a name that climbs out of the folder is refused by the host', async () => {
    const dir = tempDir();
    const host = createHost({ dataDir: dir, secrets: new FileSecretStore(dir), info: { shell: 'web', version: 't', testMode: false } });
    const reply = await host.call('backup.read', { name: '../secrets.json' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ValidationFailed' } });
    const missing = await host.call('backup.read', { name: 'auto-none.json' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });
});

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupFileInfo } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';

const DAY = 24 * 3_600_000;

/**
 * The engine's automatic daily backups (it cannot write files itself): `dataDir/backups`, each file
 * readable only by the user (0600, folder 0700), written atomically, and pruned after `keepDays`.
 */
export class BackupFolder {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'backups');
  }

  async write(name: string, text: string, keepDays: number, now = Date.now()): Promise<BackupFileInfo> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, name);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(tmp, 'wx', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    // The file's time is its creation time for pruning (the host's clock, which tests move).
    await utimes(path, now / 1000, now / 1000);
    await this.prune(keepDays, now);
    return { name, size: Buffer.byteLength(text), createdAt: now };
  }

  async list(): Promise<BackupFileInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: BackupFileInfo[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const s = await stat(join(this.dir, name));
      out.push({ name, size: s.size, createdAt: s.mtimeMs });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  async read(name: string): Promise<string> {
    try {
      return await readFile(join(this.dir, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new AppError('NotFound', `The backup "${name}" no longer exists.`, { name });
      throw err;
    }
  }

  private async prune(keepDays: number, now: number): Promise<void> {
    for (const b of await this.list()) {
      if (now - b.createdAt > keepDays * DAY) await rm(join(this.dir, b.name), { force: true });
    }
  }
}

import Dexie from 'dexie';
import { AppDb } from '../store/db';
import { SCHEMA_HISTORY } from '../store/schema';

export type BackupTables = Record<string, Record<string, unknown>[]>;

/** Whether backups of this store version can be brought up to date (every released version can). */
export const isKnownVersion = (version: number): boolean => SCHEMA_HISTORY.some((s) => s.version === version);

/**
 * The rows of a backup made by an older version of the app, as this version stores them. They are
 * written into a scratch store at the backup's version, which is then opened by this version so
 * the app's own migrations upgrade them (the same code that upgrades a user's store), and read back.
 * The scratch store is deleted afterwards; the user's store is not touched here.
 */
export async function upgradeTables(db: AppDb, version: number, tables: BackupTables): Promise<BackupTables> {
  const name = `${db.name}-restore-${Date.now()}`;
  const old = new Dexie(name, db.options);
  for (const v of SCHEMA_HISTORY.filter((s) => s.version <= version)) old.version(v.version).stores(v.stores);
  try {
    await old.open();
    await old.transaction('rw', old.tables, async () => {
      for (const table of old.tables) await table.bulkAdd(tables[table.name] ?? []);
    });
    old.close();
    const current = new AppDb(name, db.options);
    try {
      await current.open();
      const out: BackupTables = {};
      await current.transaction('r', current.tables, async () => {
        for (const table of current.tables) out[table.name] = (await table.toArray()) as Record<string, unknown>[];
      });
      return out;
    } finally {
      current.close();
    }
  } finally {
    old.close();
    await new Dexie(name, db.options).delete();
  }
}

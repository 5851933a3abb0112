import Dexie from 'dexie';
import type { IndexableType, Table } from 'dexie';
import type { RestoreResult } from '@shared/contract/exchange';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { tablesAt } from '../store/schema';
import { isKnownVersion, upgradeTables } from './backup-upgrade';
import { canonicalJson, canonicalTablesJson, sha256Hex } from './canonical';

export const BACKUP_FORMAT = 'action-plans/backup';
const SLICE = 2_000;
/** Tries at reading the store in short transactions before holding writers back with one long one. */
const QUIET_TRIES = 3;

/**
 * A backup is the whole store: every table's rows, the schema version they were written by, and
 * a SHA-256 of the canonical JSON of the tables, so a damaged or edited file is refused whole.
 * (dexie-export-import's importer writes table by table; ours validates everything first and
 * replaces all tables in one transaction, so a bad file can never leave half a store.)
 */
export async function createBackup(deps: EngineDeps): Promise<string> {
  const { db } = deps;
  const tables = await readStore(deps);
  const body = await canonicalTablesJson(tables);
  const head = {
    format: BACKUP_FORMAT,
    schemaVersion: db.verno,
    createdAt: new Date(deps.clock.now()).toISOString(),
    counts: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])),
    sha256: await sha256Hex(body),
  };
  // The tables go last, as the exact canonical text that was hashed.
  return `${JSON.stringify(head).slice(0, -1)},"tables":${body}}`;
}

/**
 * Every table's rows as ONE consistent state of the store. First in slices, each its own short
 * read transaction, so the scheduler's writes and the UI's reads are never queued behind the backup
 * (IndexedDB queues a read behind any write waiting for an overlapping transaction; one long read of
 * 100k leads stalled the leads table for seconds, npm run bench). If anything was written meanwhile
 * (the store's write count moved), it reads again; on a store that stays busy, it takes the snapshot
 * in one transaction.
 */
async function readStore(deps: EngineDeps): Promise<Record<string, unknown[]>> {
  const { db } = deps;
  for (let i = 0; i < QUIET_TRIES; i++) {
    const before = db.writes.value;
    const tables = await readTables(deps, false);
    if (db.writes.value === before) return tables;
  }
  return db.transaction('r', db.tables, async () => await readTables(deps, true));
}

async function readTables(deps: EngineDeps, inTransaction: boolean): Promise<Record<string, unknown[]>> {
  const { db } = deps;
  const tables: Record<string, unknown[]> = {};
  const read = <T>(table: Table, f: () => Promise<T>): Promise<T> => (inTransaction ? f() : db.transaction('r', table, f));
  for (const table of db.tables as Table<object, IndexableType>[]) {
    const rows: object[] = [];
    // In slices by primary key: each slice is its own task, so the engine answers other calls in between.
    for (let slice = await read(table, () => table.orderBy(':id').limit(SLICE).toArray()); ;) {
      rows.push(...slice);
      if (slice.length < SLICE) break;
      const last = Dexie.getByKeyPath(slice[slice.length - 1]!, table.schema.primKey.keyPath as string) as IndexableType;
      slice = await read(table, () => table.where(':id').above(last).limit(SLICE).toArray());
    }
    tables[table.name] = rows;
  }
  return tables;
}

const refuse = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('ValidationFailed', `${message} Your current data was not changed.`, details);

interface Checked {
  tables: Record<string, Record<string, unknown>[]>;
  createdAt: string;
}

async function checkBackup(deps: EngineDeps, text: string): Promise<Checked> {
  const { db } = deps;
  if (text.trim() === '') throw refuse('The backup file is empty.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refuse('The backup file is incomplete or damaged (it may have been cut short).');
  }
  const file = json as { format?: unknown; schemaVersion?: unknown; sha256?: unknown; createdAt?: unknown; tables?: unknown } | null;
  if (typeof file !== 'object' || file === null || file.format !== BACKUP_FORMAT) throw refuse('This is not an Action Plans backup file.');
  const version = file.schemaVersion;
  if (typeof version !== 'number' || (version !== db.verno && !isKnownVersion(version)) || version > db.verno) {
    const newer = typeof version === 'number' && version > db.verno;
    throw refuse(
      newer
        ? 'This backup was made by a newer version of the app: update the app, then restore it.'
        : `This backup names a store version this app does not know (${String(version)}).`,
      { schemaVersion: version },
    );
  }
  if (typeof file.tables !== 'object' || file.tables === null || typeof file.sha256 !== 'string') {
    throw refuse('The backup file is incomplete: its tables or check sum are missing.');
  }
  const tables = file.tables as Record<string, unknown>;
  // A backup holds exactly the tables of the version that made it.
  const expected = version === db.verno ? db.tables.map((t) => t.name) : tablesAt(version);
  for (const name of expected) {
    const rows = tables[name];
    if (!Array.isArray(rows)) throw refuse(`The backup file is incomplete: the "${name}" table is missing.`, { table: name });
    const key = db.tables.find((t) => t.name === name)?.schema.primKey.keyPath;
    rows.forEach((row: unknown, i) => {
      if (typeof row !== 'object' || row === null || (typeof key === 'string' && (row as Record<string, unknown>)[key] === undefined)) {
        throw refuse(`The backup file is damaged: row ${i + 1} of "${name}" has no key.`, { table: name, row: i + 1 });
      }
    });
  }
  const unknown = Object.keys(tables).filter((name) => !expected.includes(name));
  if (unknown.length) throw refuse(`The backup file has tables this app does not know: ${unknown.join(', ')}.`, { tables: unknown });
  if ((await sha256Hex(canonicalJson(tables))) !== file.sha256) {
    throw refuse('The backup file was changed or damaged after it was made (its SHA-256 check sum does not match).');
  }
  const createdAt = typeof file.createdAt === 'string' ? file.createdAt : '';
  if (version === db.verno) return { tables: tables as Checked['tables'], createdAt };
  // Made by an older version: brought up to date by the app's own migrations, in a scratch store.
  try {
    return { tables: await upgradeTables(db, version, tables as Checked['tables']), createdAt };
  } catch (err) {
    throw refuse(`The backup (store version ${version}) could not be brought up to date (${(err as Error).message}).`);
  }
}

/** Checks the whole file first, then replaces every table in one transaction: all of the backup, or nothing. */
export async function restoreBackup(deps: EngineDeps, text: string): Promise<RestoreResult> {
  const { db } = deps;
  const checked = await checkBackup(deps, text);
  let rows = 0;
  try {
    await db.transaction('rw', db.tables, async () => {
      for (const table of db.tables) {
        await table.clear();
        const data = checked.tables[table.name] ?? [];
        await table.bulkAdd(data);
        rows += data.length;
      }
    });
  } catch (err) {
    throw refuse(`The backup could not be written (${(err as Error).message}).`);
  }
  deps.wake();
  return { tables: db.tables.length, rows, createdAt: checked.createdAt };
}

import Dexie from 'dexie';
import type {
  IndexableType,
  DBCore,
  DBCoreKeyRange,
  DBCoreMutateRequest,
  DBCoreMutateResponse,
  DBCoreQueryRequest,
  DBCoreTable,
  DBCoreTransaction,
  Middleware,
  Table,
} from 'dexie';

/**
 * How a table's reads are remembered within one transaction:
 * - `all`: small, rarely written tables (plans, users, the account, settings): every read, queries
 *   included; any write to the table forgets them.
 * - `rows`: big tables written row by row (leads): single-row reads, and each row this transaction
 *   writes is remembered as written, so "read the lead, change it, update its summary" costs one read.
 */
export type TxCacheMode = 'all' | 'rows';

/**
 * A read cache scoped to ONE transaction. Why: a scheduler pass runs many steps in one transaction
 * and each step reads its plan, the ready plans (triggers), the sending user, the account and its lead
 * several times (its own read, the store hooks' read before a write, the summary update); every read
 * is an IndexedDB round trip (npm run bench). Within a transaction nobody else can write, and every
 * write through it updates or forgets what is remembered, so a cached value is always what IndexedDB
 * would return. Callers get their own deep copy, so mutating a result cannot leak.
 *
 * It sits below Dexie's hooks middleware (level 2) so the hooks' "existing value" reads hit it too,
 * and answers with Dexie's promises only: a native promise would lose Dexie's transaction zone.
 */
export function txReadCache(tables: Readonly<Record<string, TxCacheMode>>): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'txReadCache',
    level: 1.5,
    create: (down) => ({
      ...down,
      table: (name) => {
        const mode = tables[name];
        const table = down.table(name);
        return mode === 'all' ? cacheAll(table) : mode === 'rows' ? cacheRows(table) : table;
      },
    }),
  };
}

/**
 * One table's remembered reads in one transaction: each as a promise, and as a value once it has
 * one, so code in the transaction can take a remembered row without a request or an await
 * (cachedRow). Values derived from the table (derivedIn) are forgotten with it.
 */
class Reads extends Map<string, Promise<unknown>> {
  readonly settled = new Map<string, unknown>();
  readonly derived = new Map<string, unknown>();
  override set(key: string, read: Promise<unknown>): this {
    this.settled.delete(key);
    return super.set(key, read);
  }
  override delete(key: string): boolean {
    this.settled.delete(key);
    return super.delete(key);
  }
  override clear(): void {
    this.settled.clear();
    super.clear();
  }
  /** Remembers a value known now (written by this transaction). */
  known(key: string, value: unknown): void {
    super.set(key, Dexie.Promise.resolve(value));
    this.settled.set(key, value);
  }
  /** The read `read` of `key` gave `value`: remembered as a value while it is still the current read. */
  settle(key: string, read: Promise<unknown>, value: unknown): void {
    if (this.get(key) === read) this.settled.set(key, value);
  }
}

const byTransaction = new WeakMap<DBCoreTransaction, Map<string, Reads>>();

/** What is kept for `table` in `trans` (made by `make` the first time): remembered reads, the write log. */
function perTable<T>(kept: WeakMap<DBCoreTransaction, Map<string, T>>, trans: DBCoreTransaction, table: string, make: () => T): T {
  let tables = kept.get(trans);
  if (!tables) kept.set(trans, (tables = new Map<string, T>()));
  let state = tables.get(table);
  if (!state) tables.set(table, (state = make()));
  return state;
}

const readsOf = (trans: DBCoreTransaction, table: string): Reads => perTable(byTransaction, trans, table, () => new Reads());

/**
 * The transaction `table` belongs to: its own when bound to one (bound-db.ts, Dexie's
 * Transaction.table), else the one Dexie tracks for the running code.
 */
const transactionOf = (table: { name: string }): DBCoreTransaction | undefined =>
  ((table as { _tx?: { idbtrans?: unknown } })._tx?.idbtrans ?? Dexie.currentTransaction?.idbtrans) as DBCoreTransaction | undefined;

/** Returned by cachedRow and derivedIn when the current transaction has nothing remembered. */
export const MISS: unique symbol = Symbol('not remembered in this transaction');

/**
 * The row of `table` under `key` as the current transaction last read or wrote it (a copy; undefined
 * for a row it found absent), or MISS: at once, with no request and no await. Why: a scheduler pass
 * reads each step's plan and lead again and again; each read through Dexie costs as much as the
 * step's own logic (npm run bench). On MISS, read it the usual way.
 */
export function cachedRow<T>(table: { name: string }, key: IndexableType): T | undefined | typeof MISS {
  const trans = transactionOf(table);
  const values = trans && byTransaction.get(trans)?.get(table.name)?.settled;
  const k = rowKey(key);
  if (!values?.has(k)) return MISS;
  return copy(values.get(k) as T | undefined);
}

/** The row from the transaction's cache at once (cachedRow), else read from the store. */
export function rowOf<T, K extends IndexableType, I>(table: Table<T, K, I>, key: K): T | undefined | PromiseLike<T | undefined> {
  const hit = cachedRow<T>(table, key);
  return hit !== MISS ? hit : table.get(key);
}

/**
 * A value derived from `table` in the current transaction by deriveIn, while nothing wrote the table
 * since, or MISS. It is shared, not copied: treat it as read-only.
 */
export function derivedIn<T>(table: { name: string }, name: string): T | typeof MISS {
  const trans = transactionOf(table);
  const derived = trans && byTransaction.get(trans)?.get(table.name)?.derived;
  return derived?.has(name) ? (derived.get(name) as T) : MISS;
}

/**
 * Computes a value from `table` (reads through it) and remembers it for derivedIn in this
 * transaction. Only for `all` tables: a write to one forgets its reads and what was derived.
 */
export async function deriveIn<T>(table: { name: string }, name: string, compute: () => Promise<T>): Promise<T> {
  const trans = transactionOf(table);
  if (!trans) return compute();
  const reads = readsOf(trans, table.name);
  const value = await compute();
  // A write to the table meanwhile (another step of the batch) forgot `reads`: the value may be stale.
  if (byTransaction.get(trans)?.get(table.name) === reads) reads.derived.set(name, value);
  return value;
}

const forget = (trans: DBCoreTransaction, table: string) => byTransaction.get(trans)?.delete(table);
/**
 * A deep copy of a stored value. Rows are plain objects, arrays and primitives: copied by hand, which
 * is several times cheaper than structuredClone (a scheduler pass copies every cached read, npm run
 * bench); anything else (a Date, a typed array, a Blob) goes through structuredClone.
 */
export function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy<unknown>(value[i]);
    return out as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** The remembered read for `key`, or `read()` remembered; a failed read is not remembered. */
function remembered<T>(reads: Reads, key: string, read: () => Promise<T>): Promise<T> {
  let hit = reads.get(key) as Promise<T> | undefined;
  if (!hit) {
    const pending = read();
    reads.set(key, pending);
    pending.then(
      (value) => reads.settle(key, pending, value),
      () => reads.get(key) === pending && reads.delete(key),
    );
    hit = pending;
  }
  return hit;
}

// Keys are strings, numbers, dates or arrays of them; numbers keep their sign and infinities.
const keyText = (key: unknown): string =>
  typeof key === 'string' ? JSON.stringify(key) : JSON.stringify(key, (_k, v: unknown) => (typeof v === 'number' ? `n:${v}` : v));
const rangeText = (r: DBCoreKeyRange): string => `${r.type}|${keyText(r.lower)}|${r.lowerOpen}|${keyText(r.upper)}|${r.upperOpen}`;
const queryText = (req: DBCoreQueryRequest): string =>
  `q|${req.query.index.name}|${rangeText(req.query.range)}|${req.values}|${req.limit}|${req.direction ?? 'next'}`;
const rowKey = (key: unknown) => `g|${keyText(key)}`;

function cacheAll(table: DBCoreTable): DBCoreTable {
  const reads = (trans: DBCoreTransaction) => readsOf(trans, table.name);
  return {
    ...table,
    get: (req) => remembered(reads(req.trans), rowKey(req.key), () => table.get(req)).then(copy),
    getMany: (req) => remembered(reads(req.trans), `m|${keyText(req.keys)}`, () => table.getMany(req)).then(copy),
    query: (req) => remembered(reads(req.trans), queryText(req), () => table.query(req)).then(copy),
    mutate: (req) => {
      forget(req.trans, table.name);
      return table.mutate(req);
    },
  };
}

/**
 * Write-behind for `rows` tables, in a transaction that asked for it (stageWrites): a put is
 * remembered as written and answered at once, and the rows reach IndexedDB in one request batch per
 * table (flushStagedWrites, or before any other read or write of that table in the transaction).
 * Why: a scheduler batch writes a lead's row and its enrollment once per step and once more for the
 * lead's summary; only the last write of each row matters, and each write updates every index.
 * A put into these tables cannot fail for its own sake (no unique index, keys come from the rows), so
 * a failure at the flush is the whole transaction's and rolls it all back, as it would have.
 */
interface Staged {
  table: DBCoreTable;
  rows: Map<string, unknown>;
}
const stagingTransactions = new WeakMap<DBCoreTransaction, Map<string, Staged>>();

/**
 * Runs `body` with puts into `rows` tables write-behind, then writes what it staged. Call it inside a
 * read-write transaction's scope, as the scope's last work: staged rows reach IndexedDB only at the end.
 */
export async function withStagedWrites<T>(body: () => Promise<T>): Promise<T> {
  const trans = Dexie.currentTransaction?.idbtrans as unknown as DBCoreTransaction | undefined;
  if (!trans) throw new Error('withStagedWrites must run inside a transaction');
  const staging = new Map<string, Staged>();
  stagingTransactions.set(trans, staging);
  const result = await body();
  await Dexie.Promise.all([...staging.keys()].map((name) => flushTable(trans, name)));
  stagingTransactions.delete(trans);
  return result;
}

function flushTable(trans: DBCoreTransaction, name: string): Promise<void> {
  const staged = stagingTransactions.get(trans)?.get(name);
  if (!staged || staged.rows.size === 0) return Dexie.Promise.resolve();
  const values = [...staged.rows.values()];
  staged.rows.clear();
  return staged.table.mutate({ trans, type: 'put', values }).then((res) => {
    if (res.numFailures > 0) throw Object.values(res.failures)[0] ?? new Error(`writing ${name} failed`);
  });
}

/**
 * Throws what IndexedDB would throw for a request now when the transaction has ended (aborted, by a
 * crash or a failed request): a staged write must fail then as a real one would, or a step that
 * catches an error would go on to "succeed" in a transaction that is gone.
 */
function assertLive(trans: DBCoreTransaction, name: string): void {
  (trans as unknown as IDBTransaction).objectStore(name);
}

/** Runs `then` after this table's staged rows are written (at once when none are). */
function afterFlush<T>(trans: DBCoreTransaction, name: string, then: () => Promise<T>): Promise<T> {
  const staged = stagingTransactions.get(trans)?.get(name);
  return staged && staged.rows.size > 0 ? flushTable(trans, name).then(then) : then();
}

/**
 * What a transaction wrote to each `rows` table, in order: each row as written (null when deleted),
 * or `whole` after a write that named no keys (a range delete, a clear). Read by writesIn.
 */
interface WriteLog {
  rows: { key: unknown; value: unknown }[];
  whole: boolean;
}
const writeLogs = new WeakMap<DBCoreTransaction, Map<string, WriteLog>>();

const writeLogOf = (trans: DBCoreTransaction, table: string): WriteLog =>
  perTable(writeLogs, trans, table, () => ({ rows: [], whole: false }));

/**
 * Every row of a `rows` table (leads, enrollments) the current transaction has written so far, in the
 * order written: the row as written, or null for a deleted key; 'unknown' once the transaction wrote
 * the table without naming its keys (a range delete). At once, with no request. Why: a lead's summary
 * is its stored summary brought up to date with what this transaction did (leads/touch.ts), where
 * reading all of the lead's enrollments again costs a request per lead (npm run bench).
 */
export function writesIn<T>(table: { name: string }): readonly { key: unknown; value: T | null }[] | 'unknown' {
  const trans = transactionOf(table);
  const log = trans && writeLogs.get(trans)?.get(table.name);
  if (!log) return [];
  return log.whole ? 'unknown' : (log.rows as { key: unknown; value: T | null }[]);
}

function cacheRows(table: DBCoreTable): DBCoreTable {
  const reads = (trans: DBCoreTransaction) => readsOf(trans, table.name);
  const primaryKey = table.schema.primaryKey;
  const flushed = <T>(trans: DBCoreTransaction, then: () => Promise<T>) => afterFlush(trans, table.name, then);
  return {
    ...table,
    get: (req) => remembered(reads(req.trans), rowKey(req.key), () => flushed(req.trans, () => table.get(req))).then(copy),
    // Only the hooks' "existing values" reads (they promise not to change them); page reads pass by.
    getMany: (req) => {
      if (!req.cache) return flushed(req.trans, () => table.getMany(req));
      const rows = reads(req.trans);
      const hits = req.keys.map((k) => rows.get(rowKey(k)));
      if (hits.every((h) => h !== undefined)) return Dexie.Promise.all(hits);
      return flushed(req.trans, () => table.getMany(req));
    },
    query: (req) => flushed(req.trans, () => table.query(req)),
    openCursor: (req) => flushed(req.trans, () => table.openCursor(req)),
    count: (req) => flushed(req.trans, () => table.count(req)),
    mutate: (req) => {
      const rows = reads(req.trans);
      const log = writeLogOf(req.trans, table.name);
      const staging = stagingTransactions.get(req.trans);
      const keys = writtenKeys(req, primaryKey.extractKey);
      if (staging && req.type === 'put' && keys !== 'all') {
        assertLive(req.trans, table.name);
        let staged = staging.get(table.name);
        if (!staged) staging.set(table.name, (staged = { table, rows: new Map() }));
        for (const [i, key] of keys.entries()) {
          const value: unknown = copy(req.values[i] as unknown);
          staged.rows.set(rowKey(key), value);
          rows.known(rowKey(key), value);
          log.rows.push({ key, value });
        }
        return Dexie.Promise.resolve({ numFailures: 0, failures: {}, results: keys, lastResult: keys[keys.length - 1] });
      }
      // Until the write is done, a read must go to IndexedDB (which orders it after the write, and
      // after the staged rows: a flush sends its requests at once).
      if (keys === 'all') {
        rows.clear();
        log.whole = true;
      } else for (const k of keys) rows.delete(rowKey(k));
      const written = req.type === 'put' || req.type === 'add' ? req.values.map(copy) : null;
      return flushed(req.trans, () =>
        table.mutate(req).then((res) => {
          if (keys !== 'all')
            for (const [i, key] of keys.entries()) if (!res.failures[i]) log.rows.push({ key, value: written ? written[i] : null });
          if (written && req.type === 'put' && keys !== 'all') rememberWritten(rows, keys, written, res);
          return res;
        }),
      );
    },
  };
}

function writtenKeys(req: DBCoreMutateRequest, extractKey: ((value: unknown) => unknown) | null): unknown[] | 'all' {
  if (req.type === 'deleteRange') return 'all';
  if (req.type === 'delete') return req.keys as unknown[];
  if (req.keys) return req.keys as unknown[];
  if (!extractKey) return 'all';
  return req.values.map((v) => extractKey(v));
}

function rememberWritten(rows: Reads, keys: unknown[], values: unknown[], res: DBCoreMutateResponse): void {
  for (const [i, key] of keys.entries()) if (!res.failures[i]) rows.known(rowKey(key), values[i]);
}

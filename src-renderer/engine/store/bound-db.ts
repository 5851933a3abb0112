import type { Transaction } from 'dexie';
import type { EngineDeps } from '../deps';
import type { AppDb } from './db';

/**
 * The store as seen from inside one transaction: each of its tables is bound to `trans` (Dexie's
 * Transaction.table), so every read and write goes to that transaction even where Dexie has lost
 * track of which transaction the running code belongs to; a table outside its scope throws.
 *
 * Why: Dexie follows a transaction across native awaits by "zone echoes", a heuristic that depends
 * on how the microtasks between its calls fall. A scheduler batch runs a hundred leads' steps side by
 * side, and removing one await on the way (or staging writes) was enough for steps to write in
 * transactions of their own, outside the batch: no longer all-or-nothing (scheduler-atomic.test.ts).
 */
export function boundTo(db: AppDb, trans: Transaction): AppDb {
  const bound = Object.create(db) as AppDb;
  const inScope = new Set(trans.storeNames);
  for (const { name } of db.tables) {
    Object.defineProperty(
      bound,
      name,
      inScope.has(name)
        ? { value: trans.table(name), enumerable: true }
        : {
            get: () => {
              throw new Error(`Table ${name} is not part of this transaction`);
            },
          },
    );
  }
  return bound;
}

/** `deps` whose store is bound to `trans` (see boundTo), for the code that runs inside it. */
export function depsIn(deps: EngineDeps, trans: Transaction): EngineDeps {
  return Object.assign(Object.create(deps) as EngineDeps, { db: boundTo(deps.db, trans) });
}

import Dexie from 'dexie';
import type { DBCore, Middleware, Transaction } from 'dexie';
import type { LeadId } from '@shared/model/ids';
import type { LeadRow } from './db';

/** Which lead fields a committed transaction changed: a set of field names, or 'all' (leads added or deleted). */
export type LeadChange = Set<string> | 'all';

/** One lead as a committed transaction left it: its row after the change, or null when it was deleted. */
export interface LeadRowChange {
  id: LeadId;
  after: LeadRow | null;
}

interface Pending {
  fields: LeadChange;
  rows: Map<LeadId, LeadRow | null>;
}

/**
 * Reports committed changes to leads, per transaction, from the store's own hooks: the fields that
 * changed, and each changed lead's row as written. The workspace's lead index listens and patches
 * itself from the rows, so no write (a scheduler step, a bulk tag) makes the next query re-read
 * 100k index keys.
 */
export class LeadChangeFeed {
  private listeners = new Set<(change: LeadChange) => void>();
  private rowListeners = new Set<(changes: LeadRowChange[]) => void>();
  private pending = new WeakMap<Transaction, Pending>();
  /** This engine's committed read-write transactions over leads, and lead commits Dexie reported, since the last check. */
  private localCommits = 0;
  private reported = 0;
  private check: ReturnType<typeof setTimeout> | null = null;

  /**
   * A store middleware that counts this engine's own read-write transactions over leads as they
   * commit. Dexie reports every commit (ours and other engines') as `storagemutated`, even one that
   * changed no row; a report none of our own commits accounts for came from another engine.
   */
  readonly middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'leadLocalCommits',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        const tx = down.transaction(stores, mode, options);
        if (mode === 'readwrite' && stores.includes('leads'))
          (tx as unknown as IDBTransaction).addEventListener('complete', () => {
            this.localCommits++;
            this.scheduleCheck();
          });
        return tx;
      },
    }),
  };

  listen(listener: (change: LeadChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each committed transaction's changed leads (the last write of each lead in it). */
  listenRows(listener: (changes: LeadRowChange[]) => void): () => void {
    this.rowListeners.add(listener);
    return () => this.rowListeners.delete(listener);
  }

  private open(tx: Transaction): Pending {
    let p = this.pending.get(tx);
    if (!p) {
      const created: Pending = { fields: new Set(), rows: new Map() };
      p = created;
      this.pending.set(tx, created);
      tx.on('complete', () => {
        const rows = [...created.rows].map(([id, after]): LeadRowChange => ({ id, after }));
        for (const l of this.listeners) l(created.fields);
        if (rows.length) for (const l of this.rowListeners) l(rows);
      });
    }
    return p;
  }

  private foreignListeners = new Set<() => void>();

  /** Calls `listener` when another engine (another tab or window on the same database) changed leads: their rows are not reported here. */
  onForeignWrite(dbName: string, listener: () => void): () => void {
    const prefix = `idb://${dbName}/leads/`;
    const onMutated = (parts: Record<string, unknown>): void => {
      if (!Object.keys(parts).some((k) => k.startsWith(prefix))) return;
      this.reported++;
      this.scheduleCheck();
    };
    this.foreignListeners.add(listener);
    Dexie.on('storagemutated', onMutated);
    return () => {
      this.foreignListeners.delete(listener);
      Dexie.on('storagemutated').unsubscribe(onMutated);
    };
  }

  /** Compares once the current event is over: our commit's listener and Dexie's report run in the same dispatch. */
  private scheduleCheck(): void {
    this.check ??= setTimeout(() => {
      this.check = null;
      const foreign = this.reported > this.localCommits;
      this.reported = 0;
      this.localCommits = 0;
      if (foreign) for (const l of this.foreignListeners) l();
    }, 0);
  }

  note(tx: Transaction, fields: Iterable<string> | 'all'): void {
    const p = this.open(tx);
    if (p.fields === 'all') return;
    if (fields === 'all') p.fields = 'all';
    else for (const f of fields) p.fields.add(f);
  }

  /** Called once the store accepted the write (a failed write inside a surviving transaction is not reported). */
  noteRow(tx: Transaction, id: LeadId, after: LeadRow | null): void {
    this.open(tx).rows.set(id, after);
  }
}

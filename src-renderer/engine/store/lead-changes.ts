import type { Transaction } from 'dexie';
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
  /** When this engine last committed a lead change (tells its own writes from another tab's). */
  lastLocalCommit = 0;

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
        this.lastLocalCommit = Date.now();
        const rows = [...created.rows].map(([id, after]): LeadRowChange => ({ id, after }));
        for (const l of this.listeners) l(created.fields);
        if (rows.length) for (const l of this.rowListeners) l(rows);
      });
    }
    return p;
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

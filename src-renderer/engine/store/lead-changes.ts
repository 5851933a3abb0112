import type { Transaction } from 'dexie';

/** Which lead fields a committed transaction changed: a set of field names, or 'all' (leads added or deleted). */
export type LeadChange = Set<string> | 'all';

/**
 * Reports committed changes to leads, per transaction, from the store's own hooks. The workspace's
 * index cache listens so a scheduler step (which only touches the enrollment summary) does not throw
 * away the name, stage or tag orders that a 100k-lead table needs to stay instant.
 */
export class LeadChangeFeed {
  private listeners = new Set<(change: LeadChange) => void>();
  private pending = new WeakMap<Transaction, LeadChange>();
  /** When this engine last committed a lead change (tells its own writes from another tab's). */
  lastLocalCommit = 0;

  listen(listener: (change: LeadChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  note(tx: Transaction, fields: Iterable<string> | 'all'): void {
    const current = this.pending.get(tx);
    if (current === undefined) {
      const change: LeadChange = fields === 'all' ? 'all' : new Set(fields);
      this.pending.set(tx, change);
      tx.on('complete', () => {
        this.lastLocalCommit = Date.now();
        const done = this.pending.get(tx);
        if (done !== undefined) for (const l of this.listeners) l(done);
      });
      return;
    }
    if (current === 'all') return;
    if (fields === 'all') this.pending.set(tx, 'all');
    else for (const f of fields) current.add(f);
  }
}

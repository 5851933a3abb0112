import Dexie from 'dexie';
import type { DBCore, Middleware } from 'dexie';

/**
 * Counts committed writes to the store: this engine's read-write transactions as they complete,
 * and every commit Dexie reports (other tabs' engines too). A reader that spans several short
 * transactions (the backup) compares the count before and after: equal means nothing was written
 * in between, so what it read is one consistent state, without holding writers back meanwhile.
 */
export class WriteCount {
  private n = 0;
  private readonly onMutated: (parts: Record<string, unknown>) => void;

  constructor(dbName: string) {
    this.onMutated = (parts) => {
      if (Object.keys(parts).some((k) => k.startsWith(`idb://${dbName}/`))) this.n++;
    };
    Dexie.on.storagemutated.subscribe(this.onMutated);
  }

  /** Stops listening (the database is closed). */
  dispose(): void {
    Dexie.on.storagemutated.unsubscribe(this.onMutated);
  }

  get value(): number {
    return this.n;
  }

  readonly middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'writeCount',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        const tx = down.transaction(stores, mode, options);
        if (mode === 'readwrite') {
          this.n++; // a write may be under way while a reader starts: count it now and when it commits
          (tx as unknown as IDBTransaction).addEventListener('complete', () => this.n++);
        }
        return tx;
      },
    }),
  };
}

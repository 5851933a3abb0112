import Dexie from 'dexie';
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';

/**
 * The tables whose rows travel to the team's other computers (engine/sync, docs/design.md §9). The
 * outbox, deliveries, sends and the trash stay on this computer: each computer sends its own messages.
 */
export const REPLICATED_TABLES = [
  'account',
  'users',
  'settings',
  'plans',
  'templates',
  'routingRules',
  'leadRoutingSettings',
  'assignmentDays',
  'devices',
  'leads',
  'enrollments',
  'history',
  'tasks',
] as const;
export type ReplicatedTable = (typeof REPLICATED_TABLES)[number];
const REPLICATED: ReadonlySet<string> = new Set(REPLICATED_TABLES);
export const JOURNAL_TABLE = 'syncJournal';

/** One write of replicated rows, waiting to be handed to the team server's mirror. */
export interface JournalRow {
  seq?: number;
  table: ReplicatedTable;
  keys: string[];
  /** The table was cleared or a range deleted: every row of it is looked at again. */
  all?: boolean;
}

/**
 * Notes every write of a replicated table in `syncJournal`, in the same IndexedDB transaction as
 * the write itself, so a crash can neither lose a change for the team nor report one that rolled
 * back. Off until this computer joins a team server: a solo agent pays one `if` per write.
 * Writes that came from the team server (`inbound`) are not noted: they are already there.
 */
export class SyncJournal {
  enabled = false;
  private readonly inbound = new WeakSet<object>();

  /** Marks the current Dexie transaction as applying the server's documents (call inside it). */
  markInbound(): void {
    const trans = Dexie.currentTransaction as unknown as { idbtrans?: object } | null;
    if (trans?.idbtrans) this.inbound.add(trans.idbtrans);
  }

  readonly middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'syncJournal',
    level: 1,
    create: (core) => ({
      ...core,
      transaction: (stores, mode, options) => {
        const noted = this.enabled && mode === 'readwrite' && stores.some((s) => REPLICATED.has(s)) && !stores.includes(JOURNAL_TABLE);
        return core.transaction(noted ? [...stores, JOURNAL_TABLE] : stores, mode, options);
      },
      table: (name) => {
        const table = core.table(name);
        if (!REPLICATED.has(name)) return table;
        const keyPath = table.schema.primaryKey.keyPath as string;
        const journal = (): ReturnType<typeof core.table> => core.table(JOURNAL_TABLE);
        return {
          ...table,
          mutate: (req) => {
            if (!this.enabled || this.inbound.has(req.trans)) return table.mutate(req);
            const row = noteOf(name as ReplicatedTable, req, keyPath);
            if (!row) return table.mutate(req);
            const noted = journal().mutate({ type: 'add', trans: req.trans, values: [row] });
            return Promise.all([table.mutate(req), noted]).then(([res]) => res);
          },
        };
      },
    }),
  };
}

function noteOf(table: ReplicatedTable, req: DBCoreMutateRequest, keyPath: string): JournalRow | null {
  switch (req.type) {
    case 'add':
    case 'put': {
      const keys: unknown[] = req.keys ?? req.values.map((v: object): unknown => Dexie.getByKeyPath(v, keyPath));
      return keys.length ? { table, keys: keys.map(String) } : null;
    }
    case 'delete':
      return req.keys.length ? { table, keys: req.keys.map(String) } : null;
    case 'deleteRange':
      return { table, keys: [], all: true };
  }
}

/**
 * PouchDB, the replication client of the CouchDB protocol (docs/design.md §9): its IndexedDB adapter
 * keeps this computer's mirror of each team database, its HTTP adapter talks to the server (through
 * the host, see couch.ts), and its replicator moves revisions both ways. Loaded only when this
 * computer joins a team server: a solo agent never loads it. Only the part of its API the engine
 * uses is typed here.
 */
export interface PouchDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _conflicts?: string[];
  [field: string]: unknown;
}

export type BulkResult = { ok: true; id: string; rev: string } | { error: string | boolean; id: string; reason?: string; status?: number };

export interface ChangesResult {
  results: { id: string; seq: number | string; changes: { rev: string }[]; doc?: PouchDoc; deleted?: boolean }[];
  last_seq: number | string;
}

export interface PouchDatabase {
  readonly name: string;
  bulkDocs(docs: PouchDoc[], options?: { new_edits?: boolean }): Promise<BulkResult[]>;
  allDocs(options: {
    keys?: string[];
    include_docs?: boolean;
    conflicts?: boolean;
    startkey?: string;
    endkey?: string;
    limit?: number;
  }): Promise<{
    total_rows: number;
    rows: { id: string; key: string; value: { rev: string; deleted?: boolean }; doc?: PouchDoc | null; error?: string }[];
  }>;
  get(id: string, options?: { rev?: string; conflicts?: boolean }): Promise<PouchDoc>;
  changes(options: {
    since: number | string;
    limit?: number;
    include_docs?: boolean;
    conflicts?: boolean;
    style?: 'all_docs';
  }): Promise<ChangesResult>;
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  put(doc: PouchDoc): Promise<{ ok: true; id: string; rev: string }>;
  destroy(): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface ReplicationInfo {
  ok: boolean;
  docs_read: number;
  docs_written: number;
  doc_write_failures: number;
  errors: unknown[];
  last_seq?: number | string;
}

export interface Replication extends Promise<ReplicationInfo> {
  on(event: 'change', listener: (info: ReplicationInfo) => void): Replication;
  cancel(): void;
}

export interface PouchStatic {
  new (name: string, options: Record<string, unknown>): PouchDatabase;
  replicate(
    source: PouchDatabase,
    target: PouchDatabase,
    options?: { batch_size?: number; batches_limit?: number; retry?: boolean },
  ): Replication;
}

let loaded: Promise<PouchStatic> | null = null;

const interop = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;

export function loadPouch(): Promise<PouchStatic> {
  loaded ??= (async () => {
    const modules: unknown[] = await Promise.all([
      import('pouchdb-core'),
      import('pouchdb-adapter-idb'),
      import('pouchdb-adapter-http'),
      import('pouchdb-replication'),
    ]);
    const [core, idb, http, replication] = modules;
    const Pouch = interop<PouchStatic & { plugin(p: unknown): PouchStatic & { plugin(p: unknown): unknown } }>(core);
    Pouch.plugin(interop(idb));
    Pouch.plugin(interop(http));
    Pouch.plugin(interop(replication));
    return Pouch;
  })();
  return loaded;
}

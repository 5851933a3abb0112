import Dexie from 'dexie';
import type { FieldStamp, SyncDoc } from '@shared/sync/docs';
import { docIdOf, isLeadKind, readSyncDoc, SYNC_DOC_VERSION } from '@shared/sync/docs';
import type { AppDb } from '../store/db';
import type { JournalRow, ReplicatedTable } from '../store/sync-journal';
import { REPLICATED_TABLES } from '../store/sync-journal';
import type { PouchDatabase, PouchDoc } from './pouch';
import type { SyncIdentity, TableSpec } from './tables';
import { accessOf, databaseOf, refusalOf, TABLE_SPECS } from './tables';

type Row = Record<string, unknown>;

/** Rows handed to the mirror per round: one IndexedDB read and one PouchDB write per table and database. */
const BATCH = 500;

export interface OutboundReport {
  written: number;
  /** Local changes the server would refuse, with its rule in words (never sent; shown in the status). */
  refused: { docId: string; reason: string }[];
}

interface Pending {
  spec: TableSpec;
  key: string;
  row: Row | undefined;
}

const stable = (v: unknown): string => JSON.stringify(v ?? null);

/**
 * Hands the journal's changes to this computer's mirror of each team database (docs/design.md §9),
 * oldest first, then forgets them: at least once, and a change that is already there is skipped, so
 * a crash in between repeats nothing. A lead's documents carry who is on it (`access`); a lead whose
 * people changed takes all its documents along, so the server routes them to the new people.
 */
export async function flushOutbound(
  db: AppDb,
  me: SyncIdentity,
  mirrors: ReadonlyMap<string, PouchDatabase>,
  now: () => number,
): Promise<OutboundReport> {
  const report: OutboundReport = { written: 0, refused: [] };
  for (;;) {
    const entries = await db.syncJournal.orderBy('seq').limit(BATCH).toArray();
    if (entries.length === 0) return report;
    const pending = await rowsOf(db, entries);
    const part = await writeToMirrors(db, me, mirrors, pending, now());
    report.written += part.written;
    report.refused.push(...part.refused);
    await db.syncJournal
      .where('seq')
      .belowOrEqual(entries[entries.length - 1]!.seq!)
      .delete();
  }
}

/** Notes every row of every replicated table: the first hand-over when this computer joins a team. */
export async function journalEverything(db: AppDb): Promise<void> {
  await db.syncJournal.bulkAdd(REPLICATED_TABLES.map((table) => ({ table, keys: [], all: true })));
}

async function rowsOf(db: AppDb, entries: JournalRow[]): Promise<Pending[]> {
  const keys = new Map<ReplicatedTable, Set<string>>();
  const whole = new Set<ReplicatedTable>();
  for (const e of entries) {
    if (e.all) whole.add(e.table);
    else for (const k of e.keys) (keys.get(e.table) ?? keys.set(e.table, new Set()).get(e.table)!).add(k);
  }
  const out: Pending[] = [];
  for (const table of REPLICATED_TABLES) {
    const spec = TABLE_SPECS[table];
    const t = db.table<Row, string>(table);
    if (whole.has(table)) {
      // Every row of a table: read in slices, keyed by its primary key.
      await t.each((row, cursor) => out.push({ spec, key: String(cursor.primaryKey), row }));
      continue;
    }
    const wanted = [...(keys.get(table) ?? [])];
    if (wanted.length === 0) continue;
    const rows = await t.bulkGet(wanted);
    wanted.forEach((key, i) => out.push({ spec, key, row: rows[i] }));
  }
  return out;
}

async function writeToMirrors(
  db: AppDb,
  me: SyncIdentity,
  mirrors: ReadonlyMap<string, PouchDatabase>,
  pending: Pending[],
  now: number,
): Promise<OutboundReport> {
  const report: OutboundReport = { written: 0, refused: [] };
  // Who is on each lead the batch touches: a lead's own row, else the stored one.
  const leadIds = new Set<string>();
  for (const p of pending) if (isLeadKind(p.spec.kind)) leadIds.add(p.spec.kind === 'lead' ? p.key : leadIdOf(p.row));
  leadIds.delete('');
  const leadRows = new Map<string, Row | undefined>();
  const ids = [...leadIds];
  (await db.leads.bulkGet(ids as never[])).forEach((r, i) => leadRows.set(ids[i]!, r as Row | undefined));

  const byDb = new Map<string, { id: string; body: Row | null; pending: Pending; access: string[] | null }[]>();
  for (const p of pending) {
    const body = p.row ? p.spec.toBody(p.row, me) : null;
    if (p.row && !body) continue; // a row this table keeps to itself (a local setting)
    const lead = isLeadKind(p.spec.kind) ? leadRows.get(p.spec.kind === 'lead' ? p.key : leadIdOf(p.row)) : undefined;
    const access = isLeadKind(p.spec.kind) ? accessOf(lead) : null;
    const target = databaseOf(p.spec.kind, body ?? { scope: undefined }, me);
    if (!target || !mirrors.has(target)) continue;
    const id = docIdOf(p.spec.kind, p.key);
    (byDb.get(target) ?? byDb.set(target, []).get(target)!).push({ id, body, pending: p, access });
  }

  for (const [name, items] of byDb) {
    const mirror = mirrors.get(name)!;
    const existing = await mirror.allDocs({ keys: items.map((i) => i.id), include_docs: true });
    const docs: PouchDoc[] = [];
    const moved: string[] = [];
    items.forEach((item, i) => {
      const had = existing.rows[i];
      // A revision this app cannot read (a foreign client's, a newer version's) is written over, never read.
      const read = had && !had.error && had.doc && !had.value?.deleted ? readSyncDoc(had.doc) : null;
      const before = read?.ok ? read.doc : null;
      if (item.body) {
        // Judged as the server judges it: who is on the lead now, or was (the hand-over of a lead just lost).
        const refusal = refusalOf(item.pending.spec.kind, item.body, me, item.access, before?.access ?? null);
        if (refusal) {
          report.refused.push({ docId: item.id, reason: refusal });
          return;
        }
      }
      const next = nextRevision(item, before, me, now);
      if (!next) return;
      if (had?.value?.rev) next._rev = had.value.rev;
      docs.push(next);
      // A lead whose people changed takes its enrollments, history and tasks to them.
      if (item.pending.spec.kind === 'lead' && before && stable(before.access) !== stable(next.access)) moved.push(item.pending.key);
    });
    if (docs.length) {
      const results = await mirror.bulkDocs(docs);
      report.written += results.filter((r) => 'ok' in r && r.ok).length;
    }
    for (const leadId of moved) await journalLeadDocuments(db, leadId);
  }
  return report;
}

/** The revision to write for a changed row, or null when the mirror already has it. */
function nextRevision(
  item: { id: string; body: Row | null; pending: Pending; access: string[] | null },
  before: SyncDoc | null,
  me: SyncIdentity,
  now: number,
): SyncDoc | null {
  const { kind } = item.pending.spec;
  const lead = kind === 'lead';
  if (!item.body) {
    // Deleted here. Team records go as deletions; a lead's documents are flagged gone (the server
    // never passes a deletion between databases, see sync/server.ts), keeping their last content.
    if (!before || before.gone) return null;
    if (!isLeadKind(kind)) return { ...before, _deleted: true } as unknown as SyncDoc;
    return { ...before, gone: true, m: meta(me, now, before), ...(lead ? { clock: { ...before.clock, gone: [now, me.deviceId] } } : {}) };
  }
  const access = item.access ?? undefined;
  if (before && !before.gone && stable(before.row) === stable(item.body) && stable(before.access) === stable(access)) return null;
  const doc: SyncDoc = { _id: item.id, kind, v: SYNC_DOC_VERSION, row: item.body, m: meta(me, now, before) };
  if (access) doc.access = access;
  if (isLeadKind(kind)) {
    // Who just lost the lead gets this revision too, so their computer lets its copy go.
    const revoked = (before?.access ?? []).filter((u) => !(access ?? []).includes(u));
    if (revoked.length) doc.revoked = revoked;
  }
  if (lead) doc.clock = fieldClock(before, item.body, now, me.deviceId);
  return doc;
}

const meta = (me: SyncIdentity, now: number, before: SyncDoc | null): SyncDoc['m'] => ({
  at: now,
  device: me.deviceId,
  user: me.userId,
  ...(before ? { base: before.m.at } : {}),
});

/** When each field of a lead last changed: fields that changed now get this computer's stamp. */
function fieldClock(before: SyncDoc | null, row: Row, now: number, device: string): Record<string, FieldStamp> {
  const stamp: FieldStamp = [now, device];
  const clock: Record<string, FieldStamp> = { ...(before?.clock ?? {}) };
  const old = before?.row ?? {};
  for (const field of new Set([...Object.keys(old), ...Object.keys(row)])) {
    if (field === 'tags') continue;
    if (!before || stable(old[field]) !== stable(row[field])) clock[field] = stamp;
  }
  const oldTags = new Set(Array.isArray(old.tags) ? (old.tags as string[]) : []);
  const newTags = new Set(Array.isArray(row.tags) ? (row.tags as string[]) : []);
  for (const tag of new Set([...oldTags, ...newTags])) if (!before || oldTags.has(tag) !== newTags.has(tag)) clock[`tag:${tag}`] = stamp;
  if (before?.gone) clock.gone = stamp;
  return clock;
}

/** Notes all of a lead's documents again (its people changed): they follow the lead to its new people. */
export async function journalLeadDocuments(db: AppDb, leadId: string): Promise<void> {
  const [enrollments, history, tasks] = await Promise.all([
    db.enrollments.where('[leadId+planId]').between([leadId, Dexie.minKey], [leadId, Dexie.maxKey]).primaryKeys(),
    db.history.where('[leadId+at]').between([leadId, Dexie.minKey], [leadId, Dexie.maxKey]).primaryKeys(),
    db.tasks.where('leadId').equals(leadId).primaryKeys(),
  ]);
  const rows: JournalRow[] = [
    { table: 'enrollments', keys: enrollments.map(String) },
    { table: 'history', keys: history.map(String) },
    { table: 'tasks', keys: tasks.map(String) },
  ];
  await db.syncJournal.bulkAdd(rows.filter((r) => r.keys.length > 0));
}

const leadIdOf = (row: Row | undefined): string => (typeof row?.leadId === 'string' ? row.leadId : '');

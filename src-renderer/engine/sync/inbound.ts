import type { SyncDoc } from '@shared/sync/docs';
import { isLeadKind, parseDocId, readSyncDoc } from '@shared/sync/docs';
import type { EngineDeps } from '../deps';
import { touchLead } from '../leads/touch';
import { depsIn } from '../store/bound-db';
import type { AppDb } from '../store/db';
import { JOURNAL_TABLE, REPLICATED_TABLES } from '../store/sync-journal';
import type { Merge } from './merge';
import { mergeRevisions } from './merge';
import type { PouchDatabase, PouchDoc } from './pouch';
import type { SyncIdentity } from './tables';
import { belongsIn, keyOf, refusalOf, SPEC_OF_KIND } from './tables';

type Row = Record<string, unknown>;

const PAGE = 200;

/** One row this computer took from the team: what it was here before and what it is now (undefined: none). */
export interface AppliedChange {
  kind: SyncDoc['kind'];
  key: string;
  before: Row | undefined;
  after: Row | undefined;
  doc: SyncDoc | null;
}

export interface InboundReport {
  applied: AppliedChange[];
  /** Documents from the server that cannot be read or do not belong there: skipped, nothing local touched. */
  ignored: { docId: string; reason: string }[];
  /** Conflicts resolved (or, for records this computer may not write, decided locally). */
  merges: { docId: string; merge: Merge }[];
  /** Documents left for the next round: a change made here meanwhile goes to the team first. */
  deferred: string[];
}

const appliedKey = (db: string): string => `sync.applied.${db}`;

/**
 * Takes what arrived in one mirror into the store, in the mirror's change order (docs/design.md §9):
 * each document is checked (readSyncDoc: format, version, id), must belong in that database, and its
 * conflicting revisions are merged by the rules of sync/merge.ts. Applied in transactions that are
 * marked inbound (not noted for the server again) and that update each lead's summary. The position
 * in the mirror's changes is stored after each page, so a crash re-applies a page, harmlessly.
 */
export async function applyInbound(
  outer: EngineDeps,
  me: SyncIdentity,
  name: string,
  mirror: PouchDatabase,
  onPage: (done: number) => void = () => undefined,
): Promise<InboundReport> {
  const { db } = outer;
  const report: InboundReport = { applied: [], ignored: [], merges: [], deferred: [] };
  let since = ((await db.settings.get(appliedKey(name)))?.value as number | string | undefined) ?? 0;
  for (;;) {
    const page = await mirror.changes({ since, limit: PAGE, include_docs: true, conflicts: true, style: 'all_docs' });
    if (page.results.length === 0) break;
    const docs: { doc: SyncDoc | null; id: string }[] = [];
    for (const change of page.results) {
      if (change.id.startsWith('_design/')) continue;
      const raw = change.doc;
      if (!raw || raw._deleted || change.deleted) {
        docs.push({ doc: null, id: change.id });
        continue;
      }
      const read = readSyncDoc(raw);
      if (!read.ok) {
        report.ignored.push({ docId: change.id, reason: read.reason });
        continue;
      }
      if (!belongsIn(read.doc.kind, read.doc.row, name, me)) {
        report.ignored.push({ docId: change.id, reason: `a "${read.doc.kind}" document does not belong in ${name}` });
        continue;
      }
      let doc = read.doc;
      if (raw._conflicts?.length) {
        const resolved = await resolveConflict(me, mirror, raw, doc, report);
        if (!resolved) continue; // written back: it comes again as one revision, later in the feed
        doc = resolved;
      } else if (doc.m.device === me.deviceId && !doc.m.merged) {
        continue; // this computer's own change, already in its store
      }
      docs.push({ doc, id: change.id });
    }
    since = page.last_seq;
    const position = { key: appliedKey(name), value: since };
    const { applied, deferred } = await applyPage(outer, me, docs, position, (docId, reason) => report.ignored.push({ docId, reason }));
    report.applied.push(...applied);
    report.deferred.push(...deferred);
    onPage(report.applied.length);
  }
  return report;
}

/** Merges a document's revisions. Returns the document to apply here, or null when this computer wrote the merge back. */
async function resolveConflict(
  me: SyncIdentity,
  mirror: PouchDatabase,
  raw: PouchDoc,
  winner: SyncDoc,
  report: InboundReport,
): Promise<SyncDoc | null> {
  const others: SyncDoc[] = [];
  for (const rev of raw._conflicts ?? []) {
    const read = readSyncDoc(await mirror.get(raw._id, { rev }));
    if (read.ok) others.push(read.doc);
  }
  const merge = mergeRevisions([winner, ...others]);
  report.merges.push({ docId: raw._id, merge });
  const mayWrite = refusalOf(merge.doc.kind, merge.doc.row, me, merge.doc.access ?? null) === null;
  if (!mayWrite) return merge.doc; // the record's writers resolve it; until then this computer uses the same answer
  await mirror.bulkDocs([
    { ...(merge.doc as unknown as PouchDoc), _rev: winner._rev },
    ...merge.losers.map((l) => ({ _id: raw._id, _rev: l._rev, _deleted: true })),
  ]);
  return null;
}

/**
 * Applies one page in one transaction, with the mirror position after it (this computer's own
 * bookkeeping: in the same inbound transaction, so it is never noted as a change waiting for the
 * team, and the page and its position are stored together). A row changed here since the last
 * hand-over to the mirror (still in the journal, read in this same transaction) is left as it is:
 * this computer's change goes to the team next and, being written over what arrived, is the later one.
 */
async function applyPage(
  outer: EngineDeps,
  me: SyncIdentity,
  docs: { doc: SyncDoc | null; id: string }[],
  position: { key: string; value: number | string },
  report: (docId: string, reason: string) => void,
): Promise<{ applied: AppliedChange[]; deferred: string[] }> {
  const { db } = outer;
  const tables = [...REPLICATED_TABLES.map((t) => db.table(t)), db.table(JOURNAL_TABLE)];
  return db.transaction('rw', tables, async (trans) => {
    db.syncJournalNotes.markInbound();
    await db.settings.put(position);
    if (docs.length === 0) return { applied: [], deferred: [] };
    const pending = new Set<string>();
    for (const j of await db.syncJournal.toArray()) for (const k of j.all ? ['*'] : j.keys) pending.add(`${j.table}:${k}`);
    const deps = depsIn(outer, trans);
    const applied: AppliedChange[] = [];
    const deferred: string[] = [];
    const leads = new Set<string>();
    for (const { doc, id } of docs) {
      const parsed = parseDocId(id);
      if (!parsed) continue;
      const spec = SPEC_OF_KIND[parsed.kind];
      if (pending.has(`${spec.table}:${parsed.key}`) || pending.has(`${spec.table}:*`)) {
        deferred.push(id);
        continue;
      }
      const table = deps.db.table<Row, string>(spec.table);
      const before = await table.get(parsed.key);
      let after: Row | undefined;
      if (!doc || doc.gone) {
        if (before) await table.delete(parsed.key);
        if (parsed.kind === 'lead' && before) await removeLeadDocuments(deps.db, parsed.key);
      } else {
        after = spec.toRow(doc.row, me);
        if (keyOf(spec, after) !== parsed.key) continue;
        try {
          await table.put(after);
        } catch (err) {
          // The store refused it (a history line whose step already ran here under another line):
          // caught, so the rest of the page still applies; reported, never silently dropped.
          report(id, `this computer's store refused it (${err instanceof Error ? err.message : String(err)})`);
          continue;
        }
      }
      applied.push({ kind: parsed.kind, key: parsed.key, before, after, doc });
      if (isLeadKind(parsed.kind)) leads.add(parsed.kind === 'lead' ? parsed.key : leadIdOf(after ?? before));
    }
    leads.delete('');
    for (const leadId of leads) await touchLead(deps, leadId as never);
    return { applied, deferred };
  });
}

/** A lead that left this computer takes its enrollments, history and tasks with it. */
async function removeLeadDocuments(db: AppDb, leadId: string): Promise<void> {
  await Promise.all([
    db.enrollments.where('[leadId+planId]').between([leadId, ''], [leadId, '\uffff']).delete(),
    db.history.where('[leadId+at]').between([leadId, -Infinity], [leadId, Infinity]).delete(),
    db.tasks.where('leadId').equals(leadId).delete(),
  ]);
}

const leadIdOf = (row: Row | undefined): string => (typeof row?.leadId === 'string' ? row.leadId : '');

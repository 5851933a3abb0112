import type { FieldStamp, SyncDoc } from '@shared/sync/docs';
import { accessOf } from './tables';

/**
 * The conflict rules (docs/design.md §9): when two computers changed the same record while apart,
 * CouchDB keeps both revisions; this decides what the record becomes. Pure and deterministic: every
 * computer that sees the same revisions reaches the same document, so two computers resolving at
 * once write the same revision (PouchDB's revisions are content hashes) and nothing new conflicts.
 *
 * - lead: field by field, the later change wins (each field's stamp: when and on which computer);
 *   tags one by one (a tag one side added stays; a tag goes only if its removal is the later change).
 * - enrollment: the revision that ran more steps wins (what was sent cannot be unsent); a pause, stop
 *   or removal made on the other side is applied on top when it came later; a hand-over the runner
 *   wrote decides the runner.
 * - task: a task done or cancelled stays closed; otherwise the later change.
 * - plan: the later save wins whole; the other is kept as a draft copy (caller).
 * - history lines: each is written once; the union is kept.
 * - anything else: the later change wins.
 * Each lost value comes back in `lost`, for the lead's history or the conflicts log: never silent.
 */
export interface LostField {
  field: string;
  kept: unknown;
  lost: unknown;
  lostBy: string;
  lostAt: number;
}

export interface Merge {
  /** The document to write as the only revision (without _rev). */
  doc: SyncDoc;
  /** The revisions that lost, each to be deleted. */
  losers: SyncDoc[];
  lost: LostField[];
  /** The whole revision that lost, when it is kept aside (plans: as a draft copy). */
  keptAside: SyncDoc | null;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders stamps: later time first wins, then the computer id, so every computer picks the same. */
export const stampAfter = (a: FieldStamp, b: FieldStamp): boolean => a[0] > b[0] || (a[0] === b[0] && cmp(a[1], b[1]) > 0);

const metaStamp = (d: SyncDoc): FieldStamp => [d.m.at, d.m.device];
const NEVER: FieldStamp = [-Infinity, ''];

/** The later of two revisions by when they were written (then computer, then revision id). */
function later(a: SyncDoc, b: SyncDoc): SyncDoc {
  if (stampAfter(metaStamp(a), metaStamp(b))) return a;
  if (stampAfter(metaStamp(b), metaStamp(a))) return b;
  return cmp(a._rev ?? '', b._rev ?? '') >= 0 ? a : b;
}

const latest = (docs: SyncDoc[]): SyncDoc => docs.reduce(later);

const stable = (v: unknown): string => JSON.stringify(v ?? null);

/** The merge's own meta: from the inputs only, so two computers write byte-identical revisions. */
function mergedMeta(docs: SyncDoc[], winner: SyncDoc): SyncDoc['m'] {
  return { at: Math.max(...docs.map((d) => d.m.at)), device: winner.m.device, user: winner.m.user, merged: true };
}

function strip(doc: SyncDoc): SyncDoc {
  const { _rev: _r, _conflicts: _c, ...rest } = doc;
  return rest;
}

export function mergeRevisions(revisions: SyncDoc[]): Merge {
  const docs = [...revisions].sort((a, b) => cmp(a._rev ?? '', b._rev ?? ''));
  const kind = docs[0]!.kind;
  switch (kind) {
    case 'lead':
      return mergeLead(docs);
    case 'enrollment':
      return mergeEnrollment(docs);
    case 'task':
      return mergeTask(docs);
    case 'plan':
      return wholeWins(docs, (a, b) => laterBy(a, b, (d) => Number(d.row.updatedAt ?? 0)), true);
    default:
      return wholeWins(docs, later, false);
  }
}

function laterBy(a: SyncDoc, b: SyncDoc, at: (d: SyncDoc) => number): SyncDoc {
  return at(a) > at(b) ? a : at(b) > at(a) ? b : later(a, b);
}

function wholeWins(docs: SyncDoc[], pick: (a: SyncDoc, b: SyncDoc) => SyncDoc, keepAside: boolean): Merge {
  const winner = docs.reduce(pick);
  const losers = docs.filter((d) => d !== winner);
  const lost = losers.some((l) => stable(l.row) !== stable(winner.row) || !!l.gone !== !!winner.gone)
    ? losers.map((l) => ({ field: '*', kept: winner.row, lost: l.row, lostBy: l.m.user, lostAt: l.m.at }))
    : [];
  const keptAside = keepAside && lost.length > 0 ? latest(losers) : null;
  return { doc: { ...strip(winner), m: mergedMeta(docs, winner) }, losers, lost, keptAside };
}

/** Field-wise, later change wins; tags one by one. */
function mergeLead(docs: SyncDoc[]): Merge {
  // A revision with a clock stamped every field (and tag) it ever had: one it lacks never changed
  // there. Only a revision without any clock (written by hand) dates all of its fields by itself.
  const stampOf = (d: SyncDoc, field: string): FieldStamp => d.clock?.[field] ?? (d.clock ? NEVER : metaStamp(d));
  const pickFor = (field: string): SyncDoc => docs.reduce((a, b) => (stampAfter(stampOf(b, field), stampOf(a, field)) ? b : a));
  const row: Record<string, unknown> = {};
  const clock: Record<string, FieldStamp> = {};
  const lost: LostField[] = [];
  const fields = [...new Set(docs.flatMap((d) => Object.keys(d.row)))].filter((f) => f !== 'tags').sort();
  // Changes made since the revisions parted (each revision names the one it was written over).
  const parted = Math.min(...docs.map((d) => d.m.base ?? -Infinity));
  for (const field of fields) {
    const from = pickFor(field);
    if (field in from.row) row[field] = from.row[field];
    clock[field] = stampOf(from, field);
    for (const d of docs) {
      const stamp = d.clock?.[field];
      if (d !== from && stamp && stamp[0] > parted && stable(d.row[field]) !== stable(from.row[field])) {
        lost.push({ field, kept: from.row[field], lost: d.row[field], lostBy: d.m.user, lostAt: stamp[0] });
      }
    }
  }
  // Tags: each tag's latest add or removal decides, so two computers adding different tags keep both.
  const tagsOf = (d: SyncDoc): string[] => (Array.isArray(d.row.tags) ? (d.row.tags as string[]) : []);
  const tagNames = [
    ...new Set(
      docs.flatMap((d) => [...tagsOf(d), ...Object.keys(d.clock ?? {}).flatMap((k) => (k.startsWith('tag:') ? [k.slice(4)] : []))]),
    ),
  ];
  const tags: string[] = [];
  for (const tag of tagNames) {
    const from = pickFor(`tag:${tag}`);
    clock[`tag:${tag}`] = stampOf(from, `tag:${tag}`);
    if (tagsOf(from).includes(tag)) tags.push(tag);
  }
  row.tags = tags;
  const gone = pickFor('gone');
  const winner = latest(docs);
  const doc: SyncDoc = {
    _id: winner._id,
    kind: 'lead',
    v: Math.max(...docs.map((d) => d.v)),
    row,
    m: mergedMeta(docs, winner),
    access: accessOf(row),
    clock,
  };
  const revoked = [...new Set(docs.flatMap((d) => d.revoked ?? []))].filter((u) => !doc.access!.includes(u)).sort();
  if (revoked.length) doc.revoked = revoked;
  if (gone.gone) doc.gone = true;
  return { doc, losers: docs.filter((d) => d !== winner), lost, keptAside: null };
}

type EnrollmentRow = {
  state?: string;
  iteration?: number;
  ran?: { iteration: number; stepIds: string[] };
  runner?: string;
  nextStepId?: string | null;
  nextDueAt?: number | null;
  startedAt?: number;
  pausedAt?: number | null;
  exitReason?: string | null;
  engaged?: boolean;
  engagedAt?: number | null;
  updatedAt?: number;
};

function progressOf(d: SyncDoc): [number, number, number] {
  const r = d.row as EnrollmentRow;
  const iteration = r.iteration ?? 0;
  const ran = r.ran && r.ran.iteration === iteration ? r.ran.stepIds.length : 0;
  return [iteration, ran, r.state === 'completed' ? 1 : 0];
}

function moreProgress(a: SyncDoc, b: SyncDoc): SyncDoc {
  const [pa, pb] = [progressOf(a), progressOf(b)];
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i]! > pb[i]! ? a : b;
  // Same progress: the runner's own revision, then the later one.
  const ra = a.m.device === (a.row as EnrollmentRow).runner;
  const rb = b.m.device === (b.row as EnrollmentRow).runner;
  if (ra !== rb) return ra ? a : b;
  return later(a, b);
}

const STOPPED = new Set(['paused', 'stopped', 'removed']);

function mergeEnrollment(docs: SyncDoc[]): Merge {
  const winner = docs.reduce(moreProgress);
  const row: EnrollmentRow & Record<string, unknown> = { ...(winner.row as EnrollmentRow) };
  const lost: LostField[] = [];
  for (const d of docs) {
    if (d === winner) continue;
    const other = d.row as EnrollmentRow;
    const came = d.m.at >= winner.m.at;
    if (other.state === row.state || row.state === 'completed' || !came) {
      if (other.state !== row.state) lost.push({ field: 'state', kept: row.state, lost: other.state, lostBy: d.m.user, lostAt: d.m.at });
      continue;
    }
    if (other.state && STOPPED.has(other.state) && row.state === 'active') {
      // A pause, stop or removal made while the runner went on: applied on top of what ran.
      Object.assign(row, { state: other.state, pausedAt: other.pausedAt ?? null, exitReason: other.exitReason ?? null, nextDueAt: null });
    } else if (other.state === 'active' && row.state === 'paused') {
      // A resume that crossed a pause: continue at the same step; its times hold when the position is the same.
      const samePlace = other.nextStepId === row.nextStepId;
      Object.assign(row, {
        state: 'active',
        pausedAt: null,
        startedAt: samePlace ? other.startedAt : row.startedAt,
        nextDueAt: samePlace ? (other.nextDueAt ?? d.m.at) : d.m.at,
      });
    } else {
      lost.push({ field: 'state', kept: row.state, lost: other.state, lostBy: d.m.user, lostAt: d.m.at });
    }
  }
  const engaged = docs.filter((d) => (d.row as EnrollmentRow).engaged);
  if (engaged.length) {
    row.engaged = true;
    row.engagedAt = Math.min(...engaged.map((d) => (d.row as EnrollmentRow).engagedAt ?? Infinity).filter(Number.isFinite), Infinity);
    if (!Number.isFinite(row.engagedAt)) row.engagedAt = null;
  }
  // Only the runner hands an enrollment over: a revision its runner wrote naming another computer
  // decides the runner, whatever else won (a hand-over that crossed another edit is never undone).
  const handedOver = docs.find(
    (d) => typeof d.row.runner === 'string' && d.row.runner !== d.m.device && docs.some((o) => o !== d && o.row.runner === d.m.device),
  );
  if (handedOver) row.runner = handedOver.row.runner as string;
  row.updatedAt = Math.max(...docs.map((d) => Number((d.row as EnrollmentRow).updatedAt ?? 0)));
  return { doc: { ...strip(winner), row, m: mergedMeta(docs, winner) }, losers: docs.filter((d) => d !== winner), lost, keptAside: null };
}

function mergeTask(docs: SyncDoc[]): Merge {
  const closed = docs.filter((d) => d.row.status === 'done' || d.row.status === 'cancelled');
  if (closed.length === 0) return wholeWins(docs, later, false);
  const winner = closed.reduce((a, b) => laterBy(b, a, (d) => -Number(d.row.completedAt ?? Infinity)));
  const losers = docs.filter((d) => d !== winner);
  return { doc: { ...strip(winner), m: mergedMeta(docs, winner) }, losers, lost: [], keptAside: null };
}

import type {
  FacetCount,
  FacetName,
  LeadFacets,
  LeadFilter,
  LeadQueryPage,
  LeadSortField,
  LeadSummary,
} from '@shared/contract/lead-workspace';
import { facetNames } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import type { AppDb, LeadRow } from '../store/db';
import { NO_ENROLLMENT, UNASSIGNED } from '../store/lead-derived';
import type { LeadIndex } from './lead-index';
import { SORT_FIELD, STORE_SORTED } from './lead-index';

/** Search words as the index stores them: lower case; a phone number (however typed) as its digits. */
export function searchWords(search: string): string[] {
  if (/^[\d()+\-.\s]+$/.test(search) && /\d/.test(search)) return [search.replace(/\D/g, '')];
  return search
    .toLowerCase()
    .split(/\s+/)
    .map((w) => (/^[\d()+\-.]+$/.test(w) ? w.replace(/\D/g, '') : w))
    .filter(Boolean);
}

function intersect(a: Set<LeadId> | null, b: Set<LeadId>): Set<LeadId> {
  if (!a) return b;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<LeadId>();
  for (const id of small) if (large.has(id)) out.add(id);
  return out;
}

const isFiltered = (filter: LeadFilter): boolean => searchWords(filter.search).length > 0 || facetNames.some((f) => filter[f].length > 0);

/**
 * The ids matching a filter (null: no filter, every lead), leaving out one facet for its own counts.
 * The result may be one of the index's own sets: read it, never change it, and use it before the next await.
 */
export async function matchingIds(
  index: LeadIndex,
  filter: LeadFilter,
  except?: FacetName,
  scope: Set<LeadId> | null = null,
): Promise<Set<LeadId> | null> {
  const words = searchWords(filter.search);
  // Search reads the store's word index; start those reads before waiting for the lead index.
  const hits = words.map((w) => index.search(w));
  await index.whenReady();
  // `scope`: the leads this user may see at all (a lender: only their own), applied before every filter.
  let set: Set<LeadId> | null = scope;
  for (const facet of facetNames) {
    const wanted = filter[facet];
    if (facet === except || wanted.length === 0) continue;
    const byValue = index.facet(facet);
    let any: Set<LeadId>;
    if (wanted.length === 1) any = byValue.get(wanted[0]!) ?? new Set();
    else {
      any = new Set();
      for (const v of wanted) for (const id of byValue.get(v) ?? []) any.add(id);
    }
    set = intersect(set, any);
  }
  // The facet sets are read above with no await in between; the search sets are the index's too.
  for (const hit of await Promise.all(hits)) set = intersect(set, hit);
  return set;
}

export function toSummary(row: LeadRow): LeadSummary {
  const { searchWords: _s, nameKey: _n, assigneeIds: _a, enrollmentStates: _e, enrollmentBrief: _b, ...lead } = row;
  return {
    ...lead,
    activePlanCount: row.activePlanCount ?? 0,
    nextDueAt: row.nextDueAt ?? null,
    lastActivityAt: row.lastActivityAt ?? row.updatedAt,
    planIds: row.planIds ?? [],
  };
}

/** Picks the page's ids by walking the column's order in memory; reads only the page's rows. */
export async function queryLeads(
  db: AppDb,
  index: LeadIndex,
  q: LeadFilter & { sort: LeadSortField; dir: 'asc' | 'desc'; offset: number; limit: number },
  scope: Set<LeadId> | null = null,
): Promise<LeadQueryPage> {
  if (!scope && !isFiltered(q) && !index.isReady && STORE_SORTED.has(q.sort)) {
    // Right after start, before the index is built: an unfiltered page straight from the column's store index.
    void index.whenReady();
    const direct = await directPage(db, q);
    if (direct) return direct;
  }
  const set = await matchingIds(index, q, undefined, scope);
  const { indexed, missing } = index.order(q.sort);
  const total = set ? set.size : indexed.length + missing.length;
  const end = Math.min(q.offset + q.limit, total);
  const ids: LeadId[] = [];
  // Leads without a value (no email, nothing due) stay at the end in both directions.
  const at = (i: number): LeadId =>
    i < indexed.length ? indexed[q.dir === 'asc' ? i : indexed.length - 1 - i]! : missing[i - indexed.length]!;
  if (!set) {
    for (let i = q.offset; i < end; i++) ids.push(at(i));
  } else {
    let seen = 0;
    const n = indexed.length + missing.length;
    for (let i = 0; i < n && seen < end; i++) {
      const id = at(i);
      if (!set.has(id)) continue;
      if (seen >= q.offset) ids.push(id);
      seen++;
    }
  }
  const rows = await db.leads.bulkGet(ids);
  return { rows: rows.filter((r): r is LeadRow => !!r).map(toSummary), offset: q.offset, total };
}

/** An unfiltered page read with a cursor over the column's store index (null: the page reaches leads without a value). */
async function directPage(
  db: AppDb,
  q: { sort: LeadSortField; dir: 'asc' | 'desc'; offset: number; limit: number },
): Promise<LeadQueryPage | null> {
  const column = SORT_FIELD[q.sort];
  const [total, withValue] = await Promise.all([db.leads.count(), db.leads.orderBy(column).count()]);
  if (q.offset + q.limit > withValue && q.offset < total) return null;
  const ordered = q.dir === 'asc' ? db.leads.orderBy(column) : db.leads.orderBy(column).reverse();
  const rows = await ordered.offset(q.offset).limit(q.limit).toArray();
  return { rows: rows.map(toSummary), offset: q.offset, total };
}

const STATE_LABELS: Record<string, string> = {
  active: 'Active',
  paused: 'Paused',
  stopped: 'Stopped',
  completed: 'Completed',
  [NO_ENROLLMENT]: 'Never enrolled',
};

const MAX_VALUES = 100;

/**
 * Counts per facet value among the leads matching every other filter (how faceted search behaves),
 * from the index in memory: with no other filter a value's count is its set's size; with one, the
 * smaller side is walked (the matching leads' values, or each value's leads).
 */
export async function leadFacets(db: AppDb, index: LeadIndex, filter: LeadFilter, scope: Set<LeadId> | null = null): Promise<LeadFacets> {
  const [users, plans] = await Promise.all([db.users.toArray(), db.plans.toArray()]);
  const labels: Partial<Record<FacetName, Map<string, string>>> = {
    assignees: new Map<string, string>([[UNASSIGNED, 'Unassigned'], ...users.map((u): [string, string] => [u.id, u.name])]),
    plans: new Map(plans.map((p): [string, string] => [p.id, p.name])),
    states: new Map(Object.entries(STATE_LABELS)),
  };
  const bases = await Promise.all(facetNames.map((facet) => matchingIds(index, filter, facet, scope)));
  // From here to the end nothing is awaited: every set is read as the index holds it now.
  const out = {} as LeadFacets;
  facetNames.forEach((facet, i) => {
    const base = bases[i]!;
    const byValue = index.facet(facet);
    const tally = new Map<string, number>();
    if (!base) for (const [value, ids] of byValue) tally.set(value, ids.size);
    else if (base.size < index.size / 4) {
      for (const id of base) for (const value of index.valuesOf(id, facet)) tally.set(value, (tally.get(value) ?? 0) + 1);
    } else {
      for (const [value, ids] of byValue) {
        let count = 0;
        const [small, large] = ids.size <= base.size ? [ids, base] : [base, ids];
        for (const id of small) if (large.has(id)) count++;
        tally.set(value, count);
      }
    }
    const counts: FacetCount[] = [];
    // A value the user filters by stays listed while any lead has it, even when none match the rest.
    for (const value of new Set([...tally.keys(), ...filter[facet].filter((v) => byValue.has(v))])) {
      const count = tally.get(value) ?? 0;
      if (count > 0 || filter[facet].includes(value)) counts.push({ value, label: labels[facet]?.get(value) ?? value, count });
    }
    out[facet] = counts.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, MAX_VALUES);
  });
  return out;
}

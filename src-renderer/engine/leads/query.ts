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
import type { LeadIndexCache } from './index-cache';
import { SORT_INDEX } from './index-cache';

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

/** The ids matching a filter (null: no filter, every lead), leaving out one facet for its own counts. */
export async function matchingIds(
  cache: LeadIndexCache,
  filter: LeadFilter,
  except?: FacetName,
  scope: Set<LeadId> | null = null,
): Promise<Set<LeadId> | null> {
  // `scope`: the leads this user may see at all (a lender: only their own), applied before every filter.
  let set: Set<LeadId> | null = scope;
  for (const facet of facetNames) {
    const wanted = filter[facet];
    if (facet === except || wanted.length === 0) continue;
    const byValue = await cache.facet(facet);
    const any = new Set<LeadId>();
    for (const v of wanted) for (const id of byValue.get(v) ?? []) any.add(id);
    set = intersect(set, any);
  }
  for (const word of searchWords(filter.search)) set = intersect(set, await cache.search(word));
  return set;
}

export function toSummary(row: LeadRow): LeadSummary {
  const { searchWords: _s, nameKey: _n, assigneeIds: _a, enrollmentStates: _e, ...lead } = row;
  return {
    ...lead,
    activePlanCount: row.activePlanCount ?? 0,
    nextDueAt: row.nextDueAt ?? null,
    lastActivityAt: row.lastActivityAt ?? row.updatedAt,
    planIds: row.planIds ?? [],
  };
}

/** Picks the page's ids by walking the cached column order; reads only the page's rows. */
export async function queryLeads(
  db: AppDb,
  cache: LeadIndexCache,
  q: LeadFilter & { sort: LeadSortField; dir: 'asc' | 'desc'; offset: number; limit: number },
  scope: Set<LeadId> | null = null,
): Promise<LeadQueryPage> {
  const set = await matchingIds(cache, q, undefined, scope);
  if (!set && !cache.hasOrder(q.sort)) {
    const direct = await directPage(db, cache, q);
    if (direct) return direct;
  }
  const order = await cache.order(q.sort);
  const { indexed, missing } = order;
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

/**
 * Right after a change (cache dropped) an unfiltered page is read straight from the column's index
 * with a cursor, while the full order is rebuilt in the background for the next filtered query.
 */
async function directPage(
  db: AppDb,
  cache: LeadIndexCache,
  q: { sort: LeadSortField; dir: 'asc' | 'desc'; offset: number; limit: number },
): Promise<LeadQueryPage | null> {
  void cache.order(q.sort);
  const index = SORT_INDEX[q.sort];
  const [total, withValue] = await Promise.all([db.leads.count(), db.leads.orderBy(index).count()]);
  if (q.offset + q.limit > withValue && q.offset < total) return null;
  const ordered = q.dir === 'asc' ? db.leads.orderBy(index) : db.leads.orderBy(index).reverse();
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

/** Counts per facet value among the leads matching every other filter (how faceted search behaves). */
export async function leadFacets(
  db: AppDb,
  cache: LeadIndexCache,
  filter: LeadFilter,
  scope: Set<LeadId> | null = null,
): Promise<LeadFacets> {
  const [users, plans] = await Promise.all([db.users.toArray(), db.plans.toArray()]);
  const labels: Partial<Record<FacetName, Map<string, string>>> = {
    assignees: new Map<string, string>([[UNASSIGNED, 'Unassigned'], ...users.map((u): [string, string] => [u.id, u.name])]),
    plans: new Map(plans.map((p): [string, string] => [p.id, p.name])),
    states: new Map(Object.entries(STATE_LABELS)),
  };
  const out = {} as LeadFacets;
  for (const facet of facetNames) {
    const [base, byValue] = await Promise.all([matchingIds(cache, filter, facet, scope), cache.facet(facet)]);
    const counts: FacetCount[] = [];
    for (const [value, ids] of byValue) {
      let count = ids.length;
      if (base) {
        count = 0;
        for (const id of ids) if (base.has(id)) count++;
      }
      if (count > 0 || filter[facet].includes(value)) counts.push({ value, label: labels[facet]?.get(value) ?? value, count });
    }
    out[facet] = counts.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, MAX_VALUES);
  }
  return out;
}

import Dexie from 'dexie';
import type { FacetName, LeadSortField } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import type { AppDb } from '../store/db';

/** The index each sortable column reads (schema v6). */
export const SORT_INDEX: Record<LeadSortField, string> = {
  name: 'nameKey',
  email: 'email',
  phone: 'phone',
  stage: 'stage',
  source: 'source',
  createdAt: 'createdAt',
  activePlanCount: 'activePlanCount',
  nextDueAt: 'nextDueAt',
  lastActivityAt: 'lastActivityAt',
};

/** The index each facet reads (multi-entry for tags, assignees, plans and states). */
export const FACET_INDEX: Record<FacetName, string> = {
  stages: 'stage',
  tags: 'tags',
  sources: 'source',
  assignees: 'assigneeIds',
  plans: 'planIds',
  states: 'enrollmentStates',
};

/** Ids in a column's order: those with a value (index order), then those without one (e.g. no email). */
export interface SortOrder {
  indexed: LeadId[];
  missing: LeadId[];
}

const SEARCH_CACHE_SIZE = 64;
/** Idle wait before re-reading dropped indexes in the background (after start, after a change). */
const WARM_AFTER_MS = 1_500;

/**
 * Primary keys read from the leads indexes (keys only, never rows), kept until the leads table
 * changes. A page of 100k leads then costs one walk over an id array plus one `bulkGet` of the
 * page, instead of re-reading a 100k-entry index for every scroll, sort or keystroke.
 */
export class LeadIndexCache {
  private all: Promise<LeadId[]> | null = null;
  private orders = new Map<LeadSortField, Promise<SortOrder>>();
  private facets = new Map<FacetName, Promise<Map<string, LeadId[]>>>();
  private searches = new Map<string, Promise<Set<LeadId>>>();
  private warmTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly db: AppDb) {
    // This engine's own writes drop only what depends on the fields they changed.
    db.leadChanges.listen((change) => {
      if (change === 'all') this.invalidate();
      else this.drop(change);
      this.scheduleWarm();
    });
    this.scheduleWarm();
    // Another tab's or window's engine writing the same database: drop everything.
    Dexie.on('storagemutated', (parts: Record<string, unknown>) => {
      const prefix = `idb://${db.name}/leads/`;
      const ours = Date.now() - db.leadChanges.lastLocalCommit < 1_000;
      if (!ours && Object.keys(parts).some((k) => k.startsWith(prefix))) {
        this.invalidate();
        this.scheduleWarm();
      }
    });
  }

  /**
   * Re-reads every column order and facet in the background, one after another, so the first sort
   * by a column or the first filter after a change does not wait for a 100k-key index read.
   */
  private scheduleWarm(): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => {
      this.warmTimer = null;
      void (async () => {
        for (const field of Object.keys(SORT_INDEX) as LeadSortField[]) await this.order(field);
        for (const facet of Object.keys(FACET_INDEX) as FacetName[]) await this.facet(facet);
      })().catch(() => undefined); // the database may have closed meanwhile; the next query reads again
    }, WARM_AFTER_MS);
  }

  invalidate(): void {
    this.all = null;
    this.orders.clear();
    this.facets.clear();
    this.searches.clear();
  }

  private drop(fields: Set<string>): void {
    for (const [field, index] of Object.entries(SORT_INDEX) as [LeadSortField, string][]) if (fields.has(index)) this.orders.delete(field);
    for (const [facet, index] of Object.entries(FACET_INDEX) as [FacetName, string][]) if (fields.has(index)) this.facets.delete(facet);
    if (fields.has('searchWords') || fields.has('email') || fields.has('phone') || fields.has('firstName') || fields.has('lastName'))
      this.searches.clear();
  }

  allIds(): Promise<LeadId[]> {
    if (!this.all) {
      const all = this.db.leads.toCollection().primaryKeys();
      this.all = all;
      all.catch(() => this.all === all && (this.all = null));
    }
    return this.all;
  }

  hasOrder(field: LeadSortField): boolean {
    return this.orders.has(field);
  }

  order(field: LeadSortField): Promise<SortOrder> {
    let order = this.orders.get(field);
    if (!order) {
      order = (async () => {
        const [indexed, all] = await Promise.all([this.db.leads.orderBy(SORT_INDEX[field]).primaryKeys(), this.allIds()]);
        if (indexed.length === all.length) return { indexed, missing: [] };
        const has = new Set(indexed);
        return { indexed, missing: all.filter((id) => !has.has(id)) };
      })();
      this.orders.set(field, order);
      order.catch(() => this.orders.get(field) === order && this.orders.delete(field));
    }
    return order;
  }

  /** Facet value → the ids of leads with that value. */
  facet(name: FacetName): Promise<Map<string, LeadId[]>> {
    let facet = this.facets.get(name);
    if (!facet) {
      facet = (async () => {
        const index = FACET_INDEX[name];
        const valuesOf = (await this.db.leads.orderBy(index).uniqueKeys()).map(String);
        const lists = await Promise.all(valuesOf.map((v) => this.db.leads.where(index).equals(v).primaryKeys()));
        return new Map(valuesOf.map((v, i) => [v, lists[i] ?? []]));
      })();
      this.facets.set(name, facet);
      facet.catch(() => this.facets.get(name) === facet && this.facets.delete(name));
    }
    return facet;
  }

  /** Leads with a search word starting with `word`. */
  search(word: string): Promise<Set<LeadId>> {
    let hit = this.searches.get(word);
    if (!hit) {
      hit = this.db.leads
        .where('searchWords')
        .startsWith(word)
        .primaryKeys()
        .then((ids) => new Set(ids));
      if (this.searches.size >= SEARCH_CACHE_SIZE) this.searches.delete(this.searches.keys().next().value ?? '');
      this.searches.set(word, hit);
      hit.catch(() => this.searches.get(word) === hit && this.searches.delete(word));
    }
    return hit;
  }
}

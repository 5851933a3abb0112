import Dexie from 'dexie';
import type { FacetName, LeadSortField } from '@shared/contract/lead-workspace';
import { facetNames, leadSortFields } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import type { AppDb, LeadRow } from '../store/db';
import type { LeadRowChange } from '../store/lead-changes';

/** The store index each sortable column reads (schema v6); the table's order is that index's order. */
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

/** The field each facet counts (multi-entry for tags, assignees, plans and states). */
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

/** The values our sort indexes hold; anything else (undefined, null) is not in the store's index either. */
type Key = string | number;

/** What the index keeps per lead: its key in each sort column and its values in each facet. */
interface Entry {
  sort: (Key | undefined)[];
  facets: string[][];
}

const SCAN_CHUNK = 5_000;
const SEARCH_CACHE_SIZE = 64;
/** Idle wait before building the index in the background after start (the first screen goes first). */
const BUILD_AFTER_MS = 1_500;

const asKey = (v: unknown): Key | undefined => (typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v)) ? v : undefined);

/** IndexedDB's key order for our keys: numbers before strings, strings by UTF-16 code units (as JS `<`). */
export function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
const compareIds = (a: LeadId, b: LeadId): number => (a < b ? -1 : a > b ? 1 : 0);

function entryOf(row: LeadRow): Entry {
  const get = (path: string): unknown => Dexie.getByKeyPath(row, path);
  return {
    sort: leadSortFields.map((f) => asKey(get(SORT_INDEX[f]))),
    facets: facetNames.map((f) => {
      const v = get(FACET_INDEX[f]);
      const keys = (Array.isArray(v) ? v : [v]).map(asKey).filter((k): k is Key => k !== undefined);
      return [...new Set(keys.map(String))];
    }),
  };
}

const SORT_SLOT = new Map(leadSortFields.map((f, i) => [f, i]));
const FACET_SLOT = new Map(facetNames.map((f, i) => [f, i]));

/**
 * The leads table's index, in the engine's memory: each lead's sort keys and facet values, every
 * column's order and every facet's lead sets. Built once by reading the leads in chunks, then kept
 * exact by patching it from each committed write (the store's hooks report the rows as written),
 * so a write never makes the next sort, filter or count re-read 100k index keys. Search still reads
 * the store's `searchWords` index (a prefix range), and caches the result sets, patched the same way.
 */
export class LeadIndex {
  private entries = new Map<LeadId, Entry>();
  private facets = new Map<FacetName, Map<string, Set<LeadId>>>();
  private orders = new Map<LeadSortField, SortOrder>();
  private searches = new Map<string, { set: Set<LeadId> | null; promise: Promise<Set<LeadId>> }>();
  private built: Promise<void> | null = null;
  private building = false;
  private ready = false;
  /** Writes committed while the build reads: applied over what it read (the newest state wins). */
  private duringBuild: Map<LeadId, LeadRow | null> | null = null;
  private buildTimer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  constructor(private readonly db: AppDb) {
    db.leadChanges.listenRows((changes) => this.apply(changes));
    // Another tab's or window's engine writing the same database: its rows are not reported here.
    db.leadChanges.onForeignWrite(db.name, () => this.reset());
    this.buildTimer = setTimeout(() => {
      this.buildTimer = null;
      void this.whenReady().then(
        () => this.sortAllInBackground(),
        () => undefined,
      );
    }, BUILD_AFTER_MS);
  }

  /** True once built: sorts, filters and counts are then answered from memory. */
  get isReady(): boolean {
    return this.ready;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Builds the index (once; again only after another engine wrote the leads). */
  whenReady(): Promise<void> {
    if (this.buildTimer) {
      clearTimeout(this.buildTimer);
      this.buildTimer = null;
    }
    if (!this.built) {
      const built = this.buildUntilCurrent();
      this.built = built;
      built.catch(() => this.built === built && (this.built = null)); // the database may have closed; build on next use
    }
    return this.built;
  }

  /** Forgets everything (another engine changed the leads): the next query builds again. */
  reset(): void {
    this.generation++;
    this.entries = new Map();
    this.facets.clear();
    this.orders.clear();
    this.searches.clear();
    this.ready = false;
    this.duringBuild = null;
    // A build under way starts over by itself; otherwise the next query builds.
    if (!this.building) this.built = null;
  }

  private async buildUntilCurrent(): Promise<void> {
    this.building = true;
    try {
      while (!(await this.build())) {
        /* reset while reading: read again */
      }
    } finally {
      this.building = false;
    }
  }

  /** Reads every lead once; false when a reset came in meanwhile (what was read is stale). */
  private async build(): Promise<boolean> {
    const mine = this.generation;
    const overrides = new Map<LeadId, LeadRow | null>();
    this.duringBuild = overrides;
    const entries = new Map<LeadId, Entry>();
    // Chunks, each its own read: writers are never held up for the whole scan.
    let last: LeadId | null = null;
    for (;;) {
      const chunk: LeadRow[] = await (last === null ? this.db.leads.orderBy(':id') : this.db.leads.where(':id').above(last))
        .limit(SCAN_CHUNK)
        .toArray();
      if (mine !== this.generation) return false;
      for (const row of chunk) entries.set(row.id, entryOf(row));
      if (chunk.length < SCAN_CHUNK) break;
      last = chunk[chunk.length - 1]!.id;
    }
    for (const [id, after] of overrides) {
      if (after) entries.set(id, entryOf(after));
      else entries.delete(id);
    }
    const facets = new Map<FacetName, Map<string, Set<LeadId>>>(facetNames.map((f) => [f, new Map()]));
    for (const [id, entry] of entries) this.addToFacets(facets, id, entry);
    this.entries = entries;
    this.facets = facets;
    this.orders.clear();
    this.duringBuild = null;
    this.ready = true;
    return true;
  }

  private addToFacets(facets: Map<FacetName, Map<string, Set<LeadId>>>, id: LeadId, entry: Entry): void {
    facetNames.forEach((f, i) => {
      const byValue = facets.get(f)!;
      for (const v of entry.facets[i]!) {
        let set = byValue.get(v);
        if (!set) byValue.set(v, (set = new Set()));
        set.add(id);
      }
    });
  }

  private removeFromFacets(id: LeadId, entry: Entry): void {
    facetNames.forEach((f, i) => {
      const byValue = this.facets.get(f)!;
      for (const v of entry.facets[i]!) {
        const set = byValue.get(v);
        set?.delete(id);
        // A value no lead has any more leaves the facet, as it leaves the store's index.
        if (set && set.size === 0) byValue.delete(v);
      }
    });
  }

  /** Patches everything from one committed transaction's rows. */
  private apply(changes: LeadRowChange[]): void {
    this.patchSearches(changes);
    if (this.duringBuild) for (const c of changes) this.duringBuild.set(c.id, c.after);
    if (!this.ready) return;
    const moved = new Map<LeadSortField, LeadId[]>();
    for (const { id, after } of changes) {
      const old = this.entries.get(id);
      const next = after ? entryOf(after) : undefined;
      if (old) this.removeFromFacets(id, old);
      if (next) {
        this.entries.set(id, next);
        this.addToFacets(this.facets, id, next);
      } else this.entries.delete(id);
      leadSortFields.forEach((f, i) => {
        if (!!old === !!next && old?.sort[i] === next?.sort[i]) return;
        let list = moved.get(f);
        if (!list) moved.set(f, (list = []));
        list.push(id);
      });
    }
    for (const [field, ids] of moved) {
      const order = this.orders.get(field);
      if (order) this.patchOrder(order, field, ids);
    }
  }

  /**
   * Moves leads within a column's order: all of them out first (so the rest stays sorted by keys that
   * did not change), then each one that still exists into its new place. A few leads: binary search
   * and splice; many (a bulk action's chunk): one merge pass, never a full re-sort.
   */
  private patchOrder(order: SortOrder, field: LeadSortField, ids: LeadId[]): void {
    const slot = SORT_SLOT.get(field)!;
    const keyOf = (id: LeadId): Key | undefined => this.entries.get(id)?.sort[slot];
    const byKey = (a: LeadId, b: LeadId): number => compareKeys(keyOf(a)!, keyOf(b)!) || compareIds(a, b);
    const few = ids.length <= 8;
    if (few) {
      for (const id of ids) removeId(order, id);
    } else {
      const gone = new Set(ids);
      order.indexed = order.indexed.filter((id) => !gone.has(id));
      order.missing = order.missing.filter((id) => !gone.has(id));
    }
    const present = ids.filter((id) => this.entries.has(id));
    const withKey = present.filter((id) => keyOf(id) !== undefined).sort(byKey);
    const without = present.filter((id) => keyOf(id) === undefined).sort(compareIds);
    if (few) {
      for (const id of withKey) order.indexed.splice(lowerBound(order.indexed, id, byKey), 0, id);
      for (const id of without) order.missing.splice(lowerBound(order.missing, id, compareIds), 0, id);
    } else {
      order.indexed = merge(order.indexed, withKey, byKey);
      order.missing = merge(order.missing, without, compareIds);
    }
  }

  private patchSearches(changes: LeadRowChange[]): void {
    for (const [word, hit] of this.searches) {
      // A read still running may or may not see this write: read again next time.
      if (!hit.set) {
        this.searches.delete(word);
        continue;
      }
      for (const { id, after } of changes) {
        if (after && after.searchWords.some((w) => w.startsWith(word))) hit.set.add(id);
        else hit.set.delete(id);
      }
    }
  }

  /** Every lead id (after `whenReady`), in no particular order. */
  allIds(): LeadId[] {
    return [...this.entries.keys()];
  }

  /** Facet value → the leads with it (after `whenReady`). Read-only: use it before the next await. */
  facet(name: FacetName): Map<string, Set<LeadId>> {
    return this.facets.get(name) ?? new Map<string, Set<LeadId>>();
  }

  /** The lead's values in a facet (after `whenReady`). */
  valuesOf(id: LeadId, name: FacetName): readonly string[] {
    return this.entries.get(id)?.facets[FACET_SLOT.get(name)!] ?? [];
  }

  hasOrder(field: LeadSortField): boolean {
    return this.orders.has(field);
  }

  /** A column's order (after `whenReady`), sorted in memory the first time it is asked for. */
  order(field: LeadSortField): SortOrder {
    let order = this.orders.get(field);
    if (!order) {
      const slot = SORT_SLOT.get(field)!;
      const withKey: { key: Key; id: LeadId }[] = [];
      const missing: LeadId[] = [];
      for (const [id, e] of this.entries) {
        const key = e.sort[slot];
        if (key === undefined) missing.push(id);
        else withKey.push({ key, id });
      }
      withKey.sort((a, b) => compareKeys(a.key, b.key) || compareIds(a.id, b.id));
      order = { indexed: withKey.map((k) => k.id), missing: missing.sort(compareIds) };
      this.orders.set(field, order);
    }
    return order;
  }

  /** Sorts every column once the index is built, one per macrotask so queries slip in between. */
  private async sortAllInBackground(): Promise<void> {
    const mine = this.generation;
    for (const field of leadSortFields) {
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== this.generation || !this.ready) return;
      this.order(field);
    }
  }

  /** Leads with a search word starting with `word` (read from the store's multi-entry index, then kept current). */
  search(word: string): Promise<Set<LeadId>> {
    const cached = this.searches.get(word);
    if (cached) return cached.promise;
    const hit: { set: Set<LeadId> | null; promise: Promise<Set<LeadId>> } = { set: null, promise: Promise.resolve(new Set()) };
    hit.promise = this.db.leads
      .where('searchWords')
      .startsWith(word)
      .primaryKeys()
      .then((ids) => {
        hit.set = new Set(ids);
        return hit.set;
      });
    if (this.searches.size >= SEARCH_CACHE_SIZE) this.searches.delete(this.searches.keys().next().value ?? '');
    this.searches.set(word, hit);
    hit.promise.catch(() => this.searches.get(word) === hit && this.searches.delete(word));
    return hit.promise;
  }
}

/** First position in a sorted list where `id` belongs. */
function lowerBound(list: readonly LeadId[], id: LeadId, cmp: (a: LeadId, b: LeadId) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Two sorted lists as one sorted list. */
function merge(a: readonly LeadId[], b: readonly LeadId[], cmp: (x: LeadId, y: LeadId) => number): LeadId[] {
  if (b.length === 0) return a as LeadId[];
  const out: LeadId[] = new Array<LeadId>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function removeId(order: SortOrder, id: LeadId): void {
  // indexOf is native and linear; for a handful of moved leads per write it is cheaper than keeping positions.
  let at = order.indexed.indexOf(id);
  if (at >= 0) {
    order.indexed.splice(at, 1);
    return;
  }
  at = order.missing.indexOf(id);
  if (at >= 0) order.missing.splice(at, 1);
}

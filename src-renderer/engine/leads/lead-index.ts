import Dexie from 'dexie';
import type { FacetName, LeadSortField } from '@shared/contract/lead-workspace';
import { facetNames, leadSortFields } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import type { AppDb, LeadRow } from '../store/db';
import type { LeadRowChange } from '../store/lead-changes';
import { leadIdsMatching, leadMatchesWord } from '../store/queries';

/** The row field each sortable column sorts by; the order is IndexedDB's key order of that field. */
export const SORT_FIELD: Record<LeadSortField, string> = {
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

/**
 * The columns the store also keeps an index on (schema v12), so a page can be read from the store
 * before this index is built; the others wait for it (about a second after start at 100k leads).
 */
export const STORE_SORTED: ReadonlySet<LeadSortField> = new Set<LeadSortField>(['email', 'phone', 'createdAt']);

/** The field each facet counts (multi-entry for tags, assignees, plans and states). */
export const FACET_FIELD: Record<FacetName, string> = {
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
    sort: leadSortFields.map((f) => asKey(get(SORT_FIELD[f]))),
    facets: facetNames.map((f) => {
      const v = get(FACET_FIELD[f]);
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
 * the store's `searchWords` and `email` indexes (prefix ranges), and caches the result sets, patched the same way.
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
    // The newest row per lead (a transaction may report a lead twice).
    const latest = new Map<LeadId, LeadRow | null>();
    for (const { id, after } of changes) latest.set(id, after);
    const nextOf = new Map<LeadId, Entry | undefined>();
    const moved = new Map<LeadSortField, LeadId[]>();
    for (const [id, after] of latest) {
      const old = this.entries.get(id);
      const next = after ? entryOf(after) : undefined;
      nextOf.set(id, next);
      leadSortFields.forEach((f, i) => {
        if (!!old === !!next && old?.sort[i] === next?.sort[i]) return;
        let list = moved.get(f);
        if (!list) moved.set(f, (list = []));
        list.push(id);
      });
    }
    // Where each moved lead sits now, found while the entries still hold the keys it is sorted by.
    const leaving = new Map<LeadSortField, { indexed: number[]; missing: number[] }>();
    for (const [field, ids] of moved) {
      const order = this.orders.get(field);
      if (order) leaving.set(field, this.positionsOf(order, field, ids));
    }
    for (const [id, next] of nextOf) {
      const old = this.entries.get(id);
      if (old) this.removeFromFacets(id, old);
      if (next) {
        this.entries.set(id, next);
        this.addToFacets(this.facets, id, next);
      } else this.entries.delete(id);
    }
    for (const [field, at] of leaving) this.patchOrder(this.orders.get(field)!, field, moved.get(field)!, at);
  }

  /** Positions of `ids` in a column's order (those not in it are left out), by binary search on their current keys. */
  private positionsOf(order: SortOrder, field: LeadSortField, ids: LeadId[]): { indexed: number[]; missing: number[] } {
    const byKey = this.comparator(field);
    const out = { indexed: [] as number[], missing: [] as number[] };
    for (const id of ids) {
      if (!this.entries.has(id)) continue;
      const list = this.keyOf(field, id) === undefined ? order.missing : order.indexed;
      let at = lowerBound(list, id, list === order.missing ? compareIds : byKey);
      // A key that was not where its order says it is (never expected): find it the slow way.
      if (list[at] !== id) at = list.indexOf(id);
      if (at >= 0) (list === order.missing ? out.missing : out.indexed).push(at);
    }
    return out;
  }

  private keyOf(field: LeadSortField, id: LeadId): Key | undefined {
    return this.entries.get(id)?.sort[SORT_SLOT.get(field)!];
  }

  private comparator(field: LeadSortField): (a: LeadId, b: LeadId) => number {
    const slot = SORT_SLOT.get(field)!;
    const keyOf = (id: LeadId): Key | undefined => this.entries.get(id)?.sort[slot];
    return (a, b) => compareKeys(keyOf(a)!, keyOf(b)!) || compareIds(a, b);
  }

  /**
   * Moves leads within a column's order: out of the places found before the change (`leaving`), then
   * each one that still exists into its new place, found by binary search among the leads that did not
   * move (still sorted by unchanged keys). One pass per list, in place, whatever the number of leads:
   * a step's write or a bulk action's chunk costs a few comparisons per lead, never a full re-sort.
   */
  private patchOrder(order: SortOrder, field: LeadSortField, ids: LeadId[], leaving: { indexed: number[]; missing: number[] }): void {
    const byKey = this.comparator(field);
    const present = ids.filter((id) => this.entries.has(id));
    const withKey = present.filter((id) => this.keyOf(field, id) !== undefined).sort(byKey);
    const without = present.filter((id) => this.keyOf(field, id) === undefined).sort(compareIds);
    removeAt(order.indexed, leaving.indexed);
    removeAt(order.missing, leaving.missing);
    insertSorted(order.indexed, withKey, byKey);
    insertSorted(order.missing, without, compareIds);
  }

  private patchSearches(changes: LeadRowChange[]): void {
    for (const [word, hit] of this.searches) {
      // A read still running may or may not see this write: read again next time.
      if (!hit.set) {
        this.searches.delete(word);
        continue;
      }
      for (const { id, after } of changes) {
        if (after && leadMatchesWord(after, word)) hit.set.add(id);
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

  /**
   * The leads `userId` works (buyer agent, listing agent or lender), as the committed store has them;
   * null while the index is not built (then ask the store).
   */
  workedBy(userId: string): LeadId[] | null {
    return this.ready ? [...(this.facet('assignees').get(userId) ?? [])] : null;
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
    hit.promise = leadIdsMatching(this.db, word).then((ids) => {
      hit.set = new Set(ids);
      return hit.set;
    });
    if (this.searches.size >= SEARCH_CACHE_SIZE) this.searches.delete(this.searches.keys().next().value ?? '');
    this.searches.set(word, hit);
    hit.promise.catch(() => this.searches.get(word) === hit && this.searches.delete(word));
    return hit.promise;
  }
}

const byStore = new WeakMap<AppDb, LeadIndex>();

/**
 * The store's one lead index, shared by the workspace (sorts, filters, facets) and the team rules
 * ("who works which leads"): the store keeps no index of assignees (each index is written with
 * every put of a lead).
 */
export function leadIndexOf(db: AppDb): LeadIndex {
  let index = byStore.get(db);
  if (!index) byStore.set(db, (index = new LeadIndex(db)));
  return index;
}

/** First position (from `lo` on) in a sorted list where `id` belongs. */
function lowerBound(list: readonly LeadId[], id: LeadId, cmp: (a: LeadId, b: LeadId) => number, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Removes the items at `positions` (any order) in place, in one pass from the first of them. */
function removeAt(list: LeadId[], positions: number[]): void {
  if (positions.length === 0) return;
  const gone = [...new Set(positions)].sort((x, y) => x - y);
  let write = gone[0]!;
  let next = 0;
  for (let read = write; read < list.length; read++) {
    if (read === gone[next]) next++;
    else list[write++] = list[read]!;
  }
  list.length = write;
}

/**
 * Inserts the sorted `items` into a sorted list in place: a binary search per item, then one pass
 * from the back that shifts each stretch once (no new array: this runs for every scheduler batch).
 */
function insertSorted(list: LeadId[], items: readonly LeadId[], cmp: (x: LeadId, y: LeadId) => number): void {
  if (items.length === 0) return;
  const at: number[] = [];
  for (const item of items) at.push(lowerBound(list, item, cmp, at.length ? at[at.length - 1] : 0));
  let read = list.length - 1;
  let write = list.length + items.length - 1;
  list.length += items.length;
  for (let j = items.length - 1; j >= 0; j--) {
    while (read >= at[j]!) list[write--] = list[read--]!;
    list[write--] = items[j]!;
  }
}

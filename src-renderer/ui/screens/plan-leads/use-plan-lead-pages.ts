import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveState, PlanLeadRow } from '@shared/contract/enrollments-bulk';
import type { PlanId } from '@shared/model/ids';
import { errorMessage } from '../../lib/errors';
import { useClient } from '../../lib/store';

export const PLAN_LEAD_PAGE = 200;
/** How often the table re-reads its pages while the engine keeps changing enrollments. */
const REFRESH_EVERY_MS = 1_000;

export interface PlanLeadPages {
  total: number | null;
  error: string | null;
  rowAt: (index: number) => PlanLeadRow | undefined;
  /** Asks for the pages covering the rows on screen. */
  ensure: (first: number, last: number) => void;
}

/**
 * A plan's leads in one state, fetched a page at a time as the table scrolls (the engine reads them
 * through the `[planId+state]` index). A change in the engine re-fetches the pages in view.
 */
export function usePlanLeadPages(planId: PlanId, state: LiveState): PlanLeadPages {
  const client = useClient();
  const [data, setData] = useState<{ total: number | null; pages: Map<number, PlanLeadRow[]>; error: string | null }>({
    total: null,
    pages: new Map(),
    error: null,
  });
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const loaded = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 0]);

  const fetchPage = useCallback(
    (page: number) => client.call('enrollments.byPlanState', { planId, state, offset: page * PLAN_LEAD_PAGE, limit: PLAN_LEAD_PAGE }),
    [client, planId, state],
  );

  const load = useCallback(
    (page: number) => {
      if (inflight.current.has(page) || loaded.current.has(page)) return;
      inflight.current.add(page);
      const mine = generation.current;
      fetchPage(page).then(
        (res) => {
          inflight.current.delete(page);
          if (mine !== generation.current) return;
          loaded.current.add(page);
          setData((d) => ({ total: res.total, pages: new Map(d.pages).set(page, res.rows), error: null }));
        },
        (err: unknown) => {
          inflight.current.delete(page);
          if (mine === generation.current) setData((d) => ({ ...d, error: errorMessage(err) }));
        },
      );
    },
    [fetchPage],
  );

  /** Drops every page and loads the ones in view again (after a change, or when the plan or state changes). */
  const refresh = useCallback(() => {
    generation.current++;
    inflight.current.clear();
    loaded.current.clear();
    const [first, last] = visible.current;
    const mine = generation.current;
    const pages: number[] = [];
    for (let p = Math.floor(first / PLAN_LEAD_PAGE); p <= Math.floor(last / PLAN_LEAD_PAGE); p++) pages.push(p);
    void Promise.all(pages.map((p) => fetchPage(p))).then(
      (results) => {
        if (mine !== generation.current) return;
        for (const p of pages) loaded.current.add(p);
        setData({ total: results[0]?.total ?? 0, pages: new Map(results.map((r, i) => [pages[i]!, r.rows])), error: null });
      },
      (err: unknown) => mine === generation.current && setData((d) => ({ ...d, error: errorMessage(err) })),
    );
  }, [fetchPage]);

  useEffect(() => {
    visible.current = [0, 0];
    setData({ total: null, pages: new Map(), error: null });
    refresh();
  }, [refresh]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const off = client.on('changed', ({ tables }) => {
      if (!tables.some((t) => t === 'enrollments' || t === 'leads' || t === 'plans')) return;
      // A bulk action over thousands of leads commits every few milliseconds; re-reading the pages (and
      // the tab counts) after each commit made it ten times slower: 500 pauses took 35 s with this table
      // open, 3 s with it re-reading once a second (Chromium, 3,000 enrolled). Once per interval is enough.
      timer ??= setTimeout(
        () => {
          timer = null;
          last = Date.now();
          refresh();
        },
        Math.max(0, last + REFRESH_EVERY_MS - Date.now()),
      );
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, refresh]);

  const ensure = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      for (let p = Math.floor(first / PLAN_LEAD_PAGE); p <= Math.floor(last / PLAN_LEAD_PAGE); p++) load(p);
    },
    [load],
  );

  const rowAt = useCallback((index: number) => data.pages.get(Math.floor(index / PLAN_LEAD_PAGE))?.[index % PLAN_LEAD_PAGE], [data.pages]);
  return { total: data.total, error: data.error, rowAt, ensure };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { LeadFilter, LeadSortField, LeadSummary } from '@shared/contract/lead-workspace';
import { errorMessage } from '../../lib/errors';
import { useClient } from '../../lib/store';

export const PAGE_SIZE = 100;

export interface LeadQuery {
  filter: LeadFilter;
  sort: LeadSortField;
  dir: 'asc' | 'desc';
}

export interface LeadPages {
  total: number | null;
  error: string | null;
  rowAt: (index: number) => LeadSummary | undefined;
  /** Asks for the rows the table shows (and a little around them). */
  ensure: (first: number, last: number) => void;
}

/** The pages near the viewport (a copy): the UI never accumulates the whole table while scrolling. */
function keepNear(pages: Map<number, LeadSummary[]>, first: number, last: number): Map<number, LeadSummary[]> {
  const from = Math.floor(first / PAGE_SIZE) - 5;
  const to = Math.floor(last / PAGE_SIZE) + 5;
  return new Map([...pages].filter(([p]) => p >= from && p <= to));
}

/**
 * The table's rows, fetched a page at a time as it scrolls: the UI holds only the pages near the
 * viewport, never the 100k leads. A change in the engine re-fetches the pages in view.
 */
export function useLeadPages(query: LeadQuery): LeadPages {
  const client = useClient();
  const key = JSON.stringify(query);
  const [state, setState] = useState<{ total: number | null; pages: Map<number, LeadSummary[]>; error: string | null }>({
    total: null,
    pages: new Map(),
    error: null,
  });
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 0]);
  const pagesRef = useRef(state.pages);
  pagesRef.current = state.pages;

  const fetchPage = useCallback(
    (page: number) => {
      const q = JSON.parse(key) as LeadQuery;
      return client.call('leads.query', { ...q.filter, sort: q.sort, dir: q.dir, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    },
    [client, key],
  );

  const load = useCallback(
    (page: number) => {
      if (inflight.current.has(page) || pagesRef.current.has(page)) return;
      inflight.current.add(page);
      const mine = generation.current;
      fetchPage(page).then(
        (res) => {
          inflight.current.delete(page);
          if (mine !== generation.current) return;
          // Dragging the scrollbar asks for pages it has already left: drop those instead of re-rendering.
          const [first, last] = visible.current;
          if (page < Math.floor(first / PAGE_SIZE) - 1 || page > Math.floor(last / PAGE_SIZE) + 1) return;
          setState((s) => ({ total: res.total, pages: keepNear(s.pages, first, last).set(page, res.rows), error: null }));
        },
        (err: unknown) => {
          inflight.current.delete(page);
          if (mine === generation.current) setState((s) => ({ ...s, error: errorMessage(err) }));
        },
      );
    },
    [fetchPage],
  );

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    inflight.current.clear();
    const [first, last] = visible.current;
    const pages: number[] = [];
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) pages.push(p);
    void Promise.all(pages.map((p) => fetchPage(p))).then(
      (results) => {
        if (mine !== generation.current) return;
        // Stale pages out of view are dropped; they are fetched again when scrolled to.
        setState({ total: results[0]?.total ?? 0, pages: new Map(results.map((r, i) => [pages[i]!, r.rows])), error: null });
      },
      (err: unknown) => mine === generation.current && setState((s) => ({ ...s, error: errorMessage(err) })),
    );
  }, [fetchPage]);

  useEffect(() => {
    visible.current = [0, 0];
    setState({ total: null, pages: new Map(), error: null });
    pagesRef.current = new Map();
    refresh();
  }, [refresh]);

  useEffect(
    () =>
      client.on('changed', ({ tables }) => {
        if (tables.some((t) => t === 'leads' || t === 'enrollments' || t === 'leadTrash')) refresh();
      }),
    [client, refresh],
  );

  const ensure = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) load(p);
    },
    [load],
  );

  const rowAt = useCallback((index: number) => state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [state.pages]);

  return { total: state.total, error: state.error, rowAt, ensure };
}

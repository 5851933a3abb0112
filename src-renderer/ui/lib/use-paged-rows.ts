import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './errors';
import { useClient } from './store';
import { onEngineChange } from './use-engine';

export interface PagedRows<Row> {
  total: number | null;
  error: string | null;
  rowAt: (index: number) => Row | undefined;
  /** Asks for the rows the table shows (and a little around them). */
  ensure: (first: number, last: number) => void;
}

export interface PagedRowsSource<Row> {
  /** Identifies the query: a new key drops every page and starts again from the top. */
  key: string;
  pageSize: number;
  fetchPage: (offset: number, limit: number) => Promise<{ rows: Row[]; total: number }>;
  /** Engine tables whose changes re-fetch the pages in view. */
  refreshOn: readonly string[];
  /** At most one re-fetch per this many ms (0: after every change). */
  throttleMs: number;
}

/**
 * A virtualized table's rows, fetched a page at a time as it scrolls: the UI holds only the pages
 * near the viewport, never the whole table. A change in the engine re-fetches the pages in view.
 */
export function usePagedRows<Row>({ key, pageSize, fetchPage, refreshOn, throttleMs }: PagedRowsSource<Row>): PagedRows<Row> {
  const client = useClient();
  const [state, setState] = useState<{ total: number | null; pages: Map<number, Row[]>; error: string | null }>({
    total: null,
    pages: new Map(),
    error: null,
  });
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 0]);
  const pagesRef = useRef(state.pages);
  pagesRef.current = state.pages;
  // The latest fetch, read through a ref: the callbacks below change only with the key.
  const latestFetch = useRef(fetchPage);
  latestFetch.current = fetchPage;
  const pageOf = useCallback((index: number) => Math.floor(index / pageSize), [pageSize]);
  const get = useCallback((page: number) => latestFetch.current(page * pageSize, pageSize), [pageSize]);

  /** The pages near the viewport (a copy): the UI never accumulates the whole table while scrolling. */
  const keepNear = useCallback(
    (pages: Map<number, Row[]>, first: number, last: number) =>
      new Map([...pages].filter(([p]) => p >= pageOf(first) - 5 && p <= pageOf(last) + 5)),
    [pageOf],
  );

  const load = useCallback(
    (page: number) => {
      if (inflight.current.has(page) || pagesRef.current.has(page)) return;
      inflight.current.add(page);
      const mine = generation.current;
      get(page).then(
        (res) => {
          inflight.current.delete(page);
          if (mine !== generation.current) return;
          // Dragging the scrollbar asks for pages it has already left: drop those instead of re-rendering.
          const [first, last] = visible.current;
          if (page < pageOf(first) - 1 || page > pageOf(last) + 1) return;
          setState((s) => ({ total: res.total, pages: keepNear(s.pages, first, last).set(page, res.rows), error: null }));
        },
        (err: unknown) => {
          inflight.current.delete(page);
          if (mine === generation.current) setState((s) => ({ ...s, error: errorMessage(err) }));
        },
      );
    },
    [get, keepNear, pageOf],
  );

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    inflight.current.clear();
    const [first, last] = visible.current;
    const pages: number[] = [];
    for (let p = pageOf(first); p <= pageOf(last); p++) pages.push(p);
    void Promise.all(pages.map((p) => get(p))).then(
      (results) => {
        if (mine !== generation.current) return;
        // Stale pages out of view are dropped; they are fetched again when scrolled to.
        setState({ total: results[0]?.total ?? 0, pages: new Map(results.map((r, i) => [pages[i]!, r.rows])), error: null });
      },
      (err: unknown) => mine === generation.current && setState((s) => ({ ...s, error: errorMessage(err) })),
    );
    // `key` is a dependency on purpose: a new query drops every page and starts again from the top.
  }, [get, pageOf, key]);

  useEffect(() => {
    visible.current = [0, 0];
    setState({ total: null, pages: new Map(), error: null });
    pagesRef.current = new Map();
    refresh();
  }, [refresh]);

  const refreshKey = refreshOn.join(',');
  useEffect(() => onEngineChange(client, refreshKey.split(','), throttleMs, refresh), [client, refresh, refreshKey, throttleMs]);

  const ensure = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      for (let p = pageOf(first); p <= pageOf(last); p++) load(p);
    },
    [load, pageOf],
  );

  const rowAt = useCallback((index: number) => state.pages.get(pageOf(index))?.[index % pageSize], [state.pages, pageOf, pageSize]);

  return { total: state.total, error: state.error, rowAt, ensure };
}

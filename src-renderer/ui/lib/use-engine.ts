import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineContract, EngineMethod } from '@shared/contract';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { errorMessage } from './errors';
import type { EngineClient } from './engine-client';
import { useClient } from './store';

export interface Query<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls an engine method and calls it again whenever the engine reports a change to one of
 * `tables` — open views stay current without polling. `throttleMs` spaces those re-queries out
 * for views that stay open while thousands of rows change (a plan's state table during a bulk action).
 */
export function useEngineQuery<K extends EngineMethod>(
  method: K,
  params: ParamsOf<EngineContract[K]>,
  tables: readonly string[],
  options: { throttleMs?: number } = {},
): Query<ResultOf<EngineContract[K]>> {
  const client = useClient();
  const [state, setState] = useState<{ data: ResultOf<EngineContract[K]> | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const key = JSON.stringify(params);
  const seq = useRef(0);

  const load = useCallback(() => {
    const mine = ++seq.current;
    client.call(method, JSON.parse(key) as ParamsOf<EngineContract[K]>).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (err: unknown) => mine === seq.current && setState((s) => ({ ...s, error: errorMessage(err), loading: false })),
    );
  }, [client, method, key]);

  const tableKey = tables.join(',');
  const throttleMs = options.throttleMs ?? 0;
  useEffect(() => {
    load();
    return onEngineChange(client, tableKey.split(','), throttleMs, load);
  }, [client, load, tableKey, throttleMs]);

  return { ...state, reload: load };
}

/**
 * Runs `run` when the engine reports a change to one of `tables`; with `throttleMs`, at most once per
 * that interval (a long bulk action commits every few milliseconds). Returns the unsubscribe.
 */
export function onEngineChange(client: EngineClient, tables: readonly string[], throttleMs: number, run: () => void): () => void {
  const watched = new Set(tables);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const off = client.on('changed', ({ tables: changed }) => {
    if (!changed.some((t) => watched.has(t))) return;
    if (!throttleMs) return run();
    timer ??= setTimeout(
      () => {
        timer = null;
        last = Date.now();
        run();
      },
      Math.max(0, last + throttleMs - Date.now()),
    );
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

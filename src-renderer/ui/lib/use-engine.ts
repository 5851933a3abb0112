import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineContract, EngineMethod } from '@shared/contract';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { errorMessage } from './errors';
import { useClient } from './store';

export interface Query<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls an engine method and calls it again whenever the engine reports a change to one of
 * `tables` — open views stay current without polling.
 */
export function useEngineQuery<K extends EngineMethod>(
  method: K,
  params: ParamsOf<EngineContract[K]>,
  tables: readonly string[],
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
  useEffect(() => {
    load();
    const watched = new Set(tableKey.split(','));
    return client.on('changed', ({ tables: changed }) => {
      if (changed.some((t) => watched.has(t))) load();
    });
  }, [client, load, tableKey]);

  return { ...state, reload: load };
}

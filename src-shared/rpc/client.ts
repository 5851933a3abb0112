import type { Channel, Envelope } from './channel';
import { isEnvelope } from './channel';
import { AppError } from './errors';
import type { ParamsOf, ResultOf, SpecMap } from './spec';

export interface RpcClient<M extends SpecMap, E extends Record<string, unknown>> {
  call<K extends keyof M & string>(method: K, params: ParamsOf<M[K]>): Promise<ResultOf<M[K]>>;
  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): () => void;
  /** Every later call carries this user; the engine checks each call against it. */
  actAs(userId: string | null): void;
  /** Says goodbye to the server (so it drops this channel) and rejects the calls still waiting. */
  close(): void;
}

/** A typed client over any channel; errors from the other side are rethrown as AppError. */
export function createRpcClient<M extends SpecMap, E extends Record<string, unknown>>(channel: Channel): RpcClient<M, E> {
  let nextId = 1;
  let as: string | null = null;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const onMessage = (ev: MessageEvent): void => {
    const msg: unknown = ev.data;
    if (!isEnvelope(msg)) return;
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(AppError.from(msg.error));
    } else if (msg.t === 'evt') {
      for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
    }
  };
  channel.addEventListener('message', onMessage);

  return {
    call(method, params) {
      const id = nextId++;
      const envelope: Envelope = { t: 'req', id, method, params, as };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        channel.postMessage(envelope);
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    actAs(userId) {
      as = userId;
    },
    close() {
      channel.postMessage({ t: 'bye' } satisfies Envelope);
      channel.removeEventListener('message', onMessage);
      for (const p of pending.values()) p.reject(new AppError('HostUnavailable', 'The engine connection was closed'));
      pending.clear();
    },
  };
}

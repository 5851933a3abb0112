import type { ErrorShape } from './errors';

/** Anything that carries structured-clone messages both ways: a MessagePort, a Worker, a worker's `self`. */
export interface Channel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

export type Envelope =
  | { t: 'req'; id: number; method: string; params: unknown; as: string | null }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: ErrorShape }
  | { t: 'evt'; name: string; payload: unknown }
  /** The client is going away (its window closed): the server forgets this channel. */
  | { t: 'bye' };

export function isEnvelope(v: unknown): v is Envelope {
  return typeof v === 'object' && v !== null && ['req', 'res', 'evt', 'bye'].includes((v as { t?: string }).t ?? '');
}

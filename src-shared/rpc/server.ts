import type { z } from 'zod';
import type { Channel, Envelope } from './channel';
import { isEnvelope } from './channel';
import { AppError, toErrorShape, validationFailed } from './errors';
import type { Handlers, SpecMap } from './spec';

/** Turns zod issues into the field list the UI shows next to each input. */
export function zodToAppError(error: z.ZodError, what = 'Some fields are not valid'): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? `${what}: ${first.path ? `${first.path}: ` : ''}${first.message}` : what;
  return validationFailed(message, issues);
}

export interface RpcServerOptions<Ctx> {
  /** Builds the per-call context (the current user) from the caller's claimed identity; may throw PermissionDenied. */
  context(as: string | null, method: string): Promise<Ctx>;
  /** The client said goodbye: the server has stopped listening; drop the channel (and the port it holds). */
  onClose?(): void;
}

/** Serves a contract over a channel: validates params with the contract's schema, then runs the handler. */
export function serveRpc<M extends SpecMap, Ctx>(
  channel: Channel,
  specs: M,
  handlers: Handlers<M, Ctx>,
  options: RpcServerOptions<Ctx>,
): { emit(name: string, payload: unknown): void; close(): void } {
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    channel.removeEventListener('message', onMessage);
  };
  const onMessage = (ev: MessageEvent): void => {
    const msg: unknown = ev.data;
    if (!isEnvelope(msg)) return;
    if (msg.t === 'bye') {
      close();
      options.onClose?.();
      return;
    }
    if (msg.t !== 'req') return;
    // A closed window gets no answer: posting to a port nobody reads only keeps it alive.
    void handle(msg).then((res) => open && channel.postMessage(res));
  };

  async function handle(req: Extract<Envelope, { t: 'req' }>): Promise<Envelope> {
    try {
      const spec = Object.hasOwn(specs, req.method) ? specs[req.method] : undefined;
      const handler = spec ? (handlers as Record<string, (p: unknown, c: Ctx) => Promise<unknown>>)[req.method] : undefined;
      if (!spec || !handler) throw new AppError('NotFound', `Unknown engine method "${req.method}"`);
      const parsed = spec.params.safeParse(req.params);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const ctx = await options.context(req.as, req.method);
      const result = await handler(parsed.data, ctx);
      return { t: 'res', id: req.id, ok: true, result };
    } catch (err) {
      return { t: 'res', id: req.id, ok: false, error: toErrorShape(err) };
    }
  }

  channel.addEventListener('message', onMessage);
  return {
    emit(name, payload) {
      if (open) channel.postMessage({ t: 'evt', name, payload } satisfies Envelope);
    },
    close,
  };
}

import type { HostContract, HostTransport } from '@shared/contract/host';
import { AppError, isErrorShape } from '@shared/rpc/errors';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';

/** Web mode: the engine reaches the host adapters over HTTP on 127.0.0.1, with the per-launch token. */
export function httpHostTransport(baseUrl: string, token: string): HostTransport {
  return {
    async call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/api/host/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(params),
        });
      } catch (err) {
        throw new AppError(
          'HostUnavailable',
          `The app's local service is not running (${err instanceof Error ? err.message : String(err)}). Start it again with npm run web.`,
        );
      }
      if (res.status === 401)
        throw new AppError('HostUnavailable', 'This page was opened with an old link. Open the link printed by npm run web.');
      const body: unknown = await res.json().catch(() => null);
      if (typeof body !== 'object' || body === null || !('ok' in body)) {
        throw new AppError('HostUnavailable', `The app's local service answered ${res.status} without a result.`);
      }
      const reply = body as { ok: boolean; result?: unknown; error?: unknown };
      if (reply.ok) return reply.result as ResultOf<HostContract[K]>;
      throw isErrorShape(reply.error) ? AppError.from(reply.error) : new AppError('Internal', 'The host failed without saying why');
    },
  };
}

import type { EngineHostBridge } from '@shared/bridge';
import type { HostContract, HostTransport } from '@shared/contract/host';
import { AppError, isErrorShape } from '@shared/rpc/errors';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';

/** Desktop: the engine window reaches the host adapters through its preload bridge (IPC to main). */
export function bridgeHostTransport(bridge: EngineHostBridge): HostTransport {
  return {
    async call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
      try {
        return (await bridge.call(method, params)) as ResultOf<HostContract[K]>;
      } catch (err) {
        if (isErrorShape(err)) throw AppError.from(err);
        throw new AppError('HostUnavailable', `The desktop host did not answer (${err instanceof Error ? err.message : String(err)})`);
      }
    },
  };
}

/// <reference lib="webworker" />
import { bootEngine } from './boot';
import { httpHostTransport } from './host/http-transport';

/**
 * Web mode: the UI starts this worker and sends {type: 'init', token, port}. The engine serves the
 * contract on that port and reaches the host over HTTP with the per-launch token.
 */
interface InitMessage {
  type: 'init';
  token: string;
  port: MessagePort;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener('message', (ev: MessageEvent<InitMessage>) => {
  if (ev.data?.type !== 'init') return;
  const { token, port } = ev.data;
  void bootEngine(httpHostTransport(scope.location.origin, token)).then(
    (engine) => {
      engine.serve(port);
      port.start();
      engine.scheduler.start();
      scope.postMessage({ type: 'ready' });
    },
    (err: unknown) => scope.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
});

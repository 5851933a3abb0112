import type { EngineHostBridge } from '@shared/bridge';
import { ENGINE_PORT_MESSAGE } from '@shared/bridge';
import { bootEngine } from './boot';
import { bridgeHostTransport } from './host/bridge-transport';

/**
 * Desktop: this hidden window runs the engine. Main hands it one MessagePort per UI window (and one
 * for itself) through the preload; the engine serves the contract on each.
 */
declare global {
  interface Window {
    engineHost?: EngineHostBridge;
  }
}

const bridge = window.engineHost;
if (!bridge) throw new Error('engine.html must run in the desktop engine window (no engineHost bridge)');

const pending: MessagePort[] = [];
let serve: ((port: MessagePort) => void) | null = null;

window.addEventListener('message', (ev: MessageEvent) => {
  if (ev.data !== ENGINE_PORT_MESSAGE || !ev.ports[0]) return;
  if (serve) serve(ev.ports[0]);
  else pending.push(ev.ports[0]);
});

void bootEngine(bridgeHostTransport(bridge)).then((engine) => {
  serve = (port) => {
    engine.serve(port);
    port.start();
  };
  for (const port of pending.splice(0)) serve(port);
  // The desktop engine schedules whether or not a UI window is open (closing it keeps sending).
  engine.scheduler.start();
});

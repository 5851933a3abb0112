import type { DesktopBridge } from '@shared/bridge';
import { ENGINE_PORT_MESSAGE } from '@shared/bridge';
import type { EngineContract, EngineEvents } from '@shared/contract';
import type { RpcClient } from '@shared/rpc/client';
import { createRpcClient } from '@shared/rpc/client';
import EngineWorker from '../../engine/worker?worker';

export type EngineClient = RpcClient<EngineContract, EngineEvents>;

declare global {
  interface Window {
    desktop?: DesktopBridge;
  }
}

const TOKEN_KEY = 'action-plans:token';

/** The per-launch token printed by `npm run web` arrives in the URL fragment (never sent to a server log). */
function webToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) sessionStorage.setItem(TOKEN_KEY, fromHash);
  return fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * Connects to the engine: in the desktop app main hands us a MessagePort to the engine window;
 * in web mode we start the engine as a Web Worker and talk over a MessageChannel.
 */
export function connectEngine(onReplaced: (client: EngineClient) => void): Promise<EngineClient> {
  if (window.desktop) {
    // Main sends a fresh port whenever the engine window was restarted: switch to the newest one.
    return new Promise((resolve) => {
      let first = true;
      window.addEventListener('message', (ev: MessageEvent) => {
        const port = ev.ports[0];
        if (ev.data !== ENGINE_PORT_MESSAGE || !port) return;
        port.start();
        const client = createRpcClient<EngineContract, EngineEvents>(port);
        if (first) resolve(client);
        else onReplaced(client);
        first = false;
      });
    });
  }
  const token = webToken();
  if (!token) return Promise.reject(new Error('Open the link printed by "npm run web" (it carries the access token).'));
  const worker = new EngineWorker({ name: 'engine' });
  const channel = new MessageChannel();
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (ev: MessageEvent<{ type: string; message?: string }>) => {
      if (ev.data.type === 'ready') resolve(client);
      if (ev.data.type === 'failed') reject(new Error(ev.data.message ?? 'The engine did not start'));
    });
    worker.addEventListener('error', (ev) => reject(new Error(`The engine did not start: ${ev.message}`)));
    channel.port1.start();
    const client = createRpcClient<EngineContract, EngineEvents>(channel.port1);
    worker.postMessage({ type: 'init', token, port: channel.port2 }, [channel.port2]);
  });
}

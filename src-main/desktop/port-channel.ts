import type { Channel } from '@shared/rpc/channel';
import type { MessagePortMainLike } from './electron-like';

/**
 * Electron's MessagePortMain is a Node EventEmitter (`on('message')`, explicit `start()`), not a DOM
 * MessagePort; this adapts it to the Channel the shared RPC client speaks.
 */
export function portChannel(port: MessagePortMainLike): Channel {
  const wrapped = new Map<(ev: MessageEvent) => void, (e: { data: unknown }) => void>();
  port.start();
  return {
    postMessage(message) {
      port.postMessage(message);
    },
    addEventListener(_type, listener) {
      const onMessage = (e: { data: unknown }): void => listener(new MessageEvent('message', { data: e.data }));
      wrapped.set(listener, onMessage);
      port.on('message', onMessage);
    },
    removeEventListener(_type, listener) {
      const onMessage = wrapped.get(listener);
      if (!onMessage) return;
      wrapped.delete(listener);
      port.off('message', onMessage);
    },
  };
}

import { contextBridge, ipcRenderer } from 'electron';
import type { EngineHostBridge } from '@shared/bridge';
import { ENGINE_PORT_MESSAGE, IPC } from '@shared/bridge';
import type { ErrorShape } from '@shared/rpc/errors';
import { isErrorShape } from '@shared/rpc/errors';

/* eslint-disable @typescript-eslint/only-throw-error -- the rejection must be a plain ErrorShape, see failure() */
/**
 * The engine window's bridge: host calls over IPC, and the MessagePorts main brokers to the UI windows
 * (and to main itself), forwarded to the page since contextBridge cannot pass ports.
 */
const engineHost: EngineHostBridge = {
  async call(method, params) {
    const reply: unknown = await ipcRenderer.invoke(IPC.hostCall, method, params);
    if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
      if (reply.ok === true && 'result' in reply) return reply.result;
      if (reply.ok === false && 'error' in reply && isErrorShape(reply.error)) throw failure(reply.error);
    }
    throw failure({ code: 'Internal', message: 'The host sent an answer the engine does not understand' });
  },
};
/* eslint-enable @typescript-eslint/only-throw-error */

/**
 * The rejection the engine sees. contextBridge keeps only the message of an Error, but copies a plain
 * object whole, so the ErrorShape crosses as one and the engine rethrows it as a typed AppError.
 */
function failure(shape: ErrorShape): ErrorShape {
  return { code: shape.code, message: shape.message, ...(shape.details ? { details: shape.details } : {}) };
}

contextBridge.exposeInMainWorld('engineHost', engineHost);

ipcRenderer.on(IPC.enginePort, (event) => window.postMessage(ENGINE_PORT_MESSAGE, '*', event.ports));

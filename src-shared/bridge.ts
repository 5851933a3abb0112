/**
 * The tiny bridges the desktop preloads expose (contextBridge). Web mode has none of them:
 * the UI starts the engine as a Web Worker and the engine reaches the host over HTTP.
 */

/** Exposed to the engine window as `window.engineHost`. */
export interface EngineHostBridge {
  /** Calls a host method (see contract/host.ts); rejects with an ErrorShape-like object. */
  call(method: string, params: unknown): Promise<unknown>;
}

/** Exposed to the UI window as `window.desktop`. */
export interface DesktopBridge {
  shell: 'desktop';
  /** Opens http(s) and mailto links in the user's browser or mail app; anything else is refused. */
  openExternal(url: string): Promise<void>;
}

/**
 * The main process hands each window its end of the UI<->engine MessageChannel; the preload forwards
 * it to the page with window.postMessage(ENGINE_PORT_MESSAGE, '*', [port]), since contextBridge cannot pass ports.
 */
export const ENGINE_PORT_MESSAGE = 'action-plans:engine-port';

/** IPC channel names between preloads and main. */
export const IPC = {
  hostCall: 'host:call',
  enginePort: 'engine:port',
  openExternal: 'shell:openExternal',
  engineReady: 'engine:ready',
} as const;

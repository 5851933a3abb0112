import { IPC } from '@shared/bridge';
import type { EngineContract, EngineEvents } from '@shared/contract';
import type { RpcClient } from '@shared/rpc/client';
import { createRpcClient } from '@shared/rpc/client';
import type { BrowserWindowLike, ElectronLike, IpcInvokeEvent, Logger, MessagePortMainLike, WebContentsLike } from './electron-like';
import type { EngineSupervisor, RestartPolicy } from './engine-supervisor';
import { createEngineSupervisor, isEngineFailure } from './engine-supervisor';
import { portChannel } from './port-channel';
import type { RendererSource } from './security';
import { isAppUrl, pageUrl } from './security';
import { secureWebPreferences } from './window-security';

export type EngineClient = RpcClient<EngineContract, EngineEvents>;

export interface EngineWindowDeps {
  electron: Pick<ElectronLike, 'BrowserWindow' | 'MessageChannelMain'>;
  renderer: RendererSource;
  preload: string;
  policy: RestartPolicy;
  log: Logger;
  /** Applies the navigation and window-open rules to a new window. */
  guard(window: BrowserWindowLike): void;
  /** The engine page (re)loaded and main's own client is connected: hand fresh ports to the UI windows. */
  onConnected(client: EngineClient): void;
  /** The engine is gone (crashed, hung, being restarted): main's client no longer answers. */
  onDisconnected(): void;
  /** Too many failures in a short time: restarts stopped until `retry()`. */
  onGiveUp(failures: number): void;
}

interface Running {
  window: BrowserWindowLike;
  loaded: boolean;
  unresponsiveTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * The hidden window that runs the engine (Dexie store, scheduler, outbox). It keeps running with no UI
 * window open; main restarts it with backoff when it crashes or hangs (DESIGN §4).
 */
export class EngineWindow {
  private running: Running | null = null;
  private connection: { client: EngineClient; port: MessagePortMainLike } | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly supervisor: EngineSupervisor;
  private stopped = false;

  constructor(private readonly deps: EngineWindowDeps) {
    this.supervisor = createEngineSupervisor(deps.policy);
  }

  start(): void {
    const window = new this.deps.electron.BrowserWindow({
      show: false,
      title: 'Action Plans engine',
      webPreferences: { ...secureWebPreferences(this.deps.preload), backgroundThrottling: false },
    });
    const running: Running = { window, loaded: false, unresponsiveTimer: null };
    this.running = running;
    this.deps.guard(window);
    this.watch(running);
    window
      .loadURL(pageUrl(this.deps.renderer, 'engine.html'))
      .catch((err: unknown) => this.deps.log.error('The engine page did not load', err));
  }

  /** Ready to be handed ports: its page has loaded (and with it, the preload that forwards them). */
  get loaded(): boolean {
    return this.running?.loaded ?? false;
  }

  /** A host call must come from the engine window's own page, nothing else (not the UI, not a stray frame). */
  isSender(event: IpcInvokeEvent): boolean {
    const running = this.running;
    if (!running || running.window.isDestroyed() || event.sender !== running.window.webContents) return false;
    return event.senderFrame !== null && isAppUrl(event.senderFrame.url, this.deps.renderer, 'engine.html');
  }

  /** Gives `target` (a UI window) its own MessageChannel to the engine. */
  connect(target: WebContentsLike): void {
    this.brokerPort().postTo(target);
  }

  /** Quitting: stop supervising, so the windows closing is not taken for a crash. */
  stop(): void {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.running?.unresponsiveTimer) clearTimeout(this.running.unresponsiveTimer);
    this.disconnect();
  }

  /** After giving up, the user asked to try again. */
  retry(): void {
    this.supervisor.reset();
    if (!this.running) this.start();
  }

  private watch(running: Running): void {
    const { window } = running;
    const contents = window.webContents;
    const current = (): boolean => this.running === running && !this.stopped;
    contents.on('did-finish-load', () => {
      if (!current()) return;
      running.loaded = true;
      this.connectMain();
    });
    contents.on('render-process-gone', (_event, details) => {
      if (current() && isEngineFailure(details.reason)) this.fail(`renderer gone (${details.reason}, exit code ${details.exitCode})`);
    });
    // A long scheduler tick can briefly block the page; only a sustained hang counts as a failure.
    contents.on('unresponsive', () => {
      if (!current() || running.unresponsiveTimer) return;
      running.unresponsiveTimer = setTimeout(() => {
        if (current()) this.fail(`unresponsive for ${this.deps.policy.unresponsiveMs} ms`);
      }, this.deps.policy.unresponsiveMs);
    });
    contents.on('responsive', () => {
      if (running.unresponsiveTimer) clearTimeout(running.unresponsiveTimer);
      running.unresponsiveTimer = null;
    });
    window.on('closed', () => {
      if (current()) this.fail('window closed');
    });
  }

  private fail(why: string): void {
    const running = this.running;
    if (!running) return;
    this.deps.log.error(`The engine failed: ${why}`);
    this.running = null;
    if (running.unresponsiveTimer) clearTimeout(running.unresponsiveTimer);
    this.disconnect();
    if (!running.window.isDestroyed()) running.window.destroy();

    const decision = this.supervisor.onFailure(Date.now());
    if (decision.action === 'giveUp') {
      this.deps.log.error(`The engine failed ${decision.failures} times in a short time; not restarting it`);
      this.deps.onGiveUp(decision.failures);
      return;
    }
    this.deps.log.info(`Restarting the engine in ${decision.delayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopped) this.start();
    }, decision.delayMs);
  }

  /** Main's own client, for the tray's pause switch and for waking the scheduler after sleep. */
  private connectMain(): void {
    this.disconnect();
    const port = this.brokerPort().keep();
    const client = createRpcClient<EngineContract, EngineEvents>(portChannel(port));
    this.connection = { client, port };
    this.deps.onConnected(client);
  }

  private disconnect(): void {
    const connection = this.connection;
    if (!connection) return;
    this.connection = null;
    connection.client.close();
    connection.port.close();
    this.deps.onDisconnected();
  }

  /** Creates a channel and hands one end to the engine; the caller decides where the other end goes. */
  private brokerPort(): { postTo(target: WebContentsLike): void; keep(): MessagePortMainLike } {
    const running = this.running;
    if (!running) throw new Error('The engine window is not running');
    const { port1, port2 } = new this.deps.electron.MessageChannelMain();
    running.window.webContents.postMessage(IPC.enginePort, null, [port1]);
    return {
      postTo: (target) => target.postMessage(IPC.enginePort, null, [port2]),
      keep: () => port2,
    };
  }
}

import type { BrowserWindowConstructorOptions, Menu, MessageBoxOptions } from 'electron';
import { vi } from 'vitest';
import { IPC } from '@shared/bridge';
import type { Envelope } from '@shared/rpc/channel';
import { isEnvelope } from '@shared/rpc/channel';
import type {
  ElectronLike,
  IpcInvokeEvent,
  MenuItemTemplate,
  MessagePortMainLike,
  PreventableEvent,
  SafeStorageLike,
} from '../../../src-main/desktop/electron-like';

/**
 * A stand-in for the parts of Electron main uses, behaving like Electron where the tests depend on it:
 * windows emit `closed` when destroyed, the app quits when the last window closes unless someone
 * listens to `window-all-closed`, MessageChannelMain ports deliver to their peer once started.
 */

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper = (...args: never[]): void => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

export class FakePort extends Emitter implements MessagePortMainLike {
  peer: FakePort | null = null;
  started = false;
  closed = false;

  postMessage(message: unknown): void {
    const peer = this.peer;
    if (this.closed || !peer) return;
    // Like a real port: delivered asynchronously, and only once the receiving end is started.
    setImmediate(() => {
      if (peer.started && !peer.closed) peer.emit('message', { data: message });
    });
  }

  start(): void {
    this.started = true;
  }

  close(): void {
    this.closed = true;
  }
}

export interface Posted {
  channel: string;
  message: unknown;
  ports: FakePort[];
}

export class FakeWebContents extends Emitter {
  readonly posted: Posted[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;

  postMessage(channel: string, message: unknown, transfer: MessagePortMainLike[] = []): void {
    const posted = { channel, message, ports: transfer as FakePort[] };
    this.posted.push(posted);
    this.emit('posted', posted);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** The ports this page received on `channel`. */
  ports(channel: string): FakePort[] {
    return this.posted.filter((p) => p.channel === channel).flatMap((p) => p.ports);
  }
}

export interface NavigationAttempt {
  url: string;
  preventDefault: () => void;
  prevented: boolean;
}

export function navigation(url: string): NavigationAttempt {
  const attempt: NavigationAttempt = {
    url,
    prevented: false,
    preventDefault: () => {
      attempt.prevented = true;
    },
  };
  return attempt;
}

export interface FakeTemplateMenu {
  template: MenuItemTemplate[];
}

export function createFakeElectron(options: { singleInstanceLock?: boolean; encryptionAvailable?: boolean } = {}) {
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: vi.fn(() => options.singleInstanceLock ?? true),
    whenReady: vi.fn(() => Promise.resolve()),
    getVersion: () => '1.2.3',
    getPath: vi.fn((_name: 'userData') => '/tmp/action-plans-test-user-data'),
    quitting: false,
    /** Electron's order: before-quit, will-quit (which a listener may postpone), then the app is gone. */
    quit: vi.fn((): void => {
      app.emit('before-quit');
      let postponed = false;
      app.emit('will-quit', { preventDefault: () => (postponed = true) } satisfies PreventableEvent);
      if (postponed) return;
      app.quitting = true;
      for (const window of windows) if (!window.isDestroyed()) window.destroy();
    }),
  });

  class FakeWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn((_url: string) => Promise.resolve());
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    private destroyed = false;
    minimized = false;

    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
    }

    isMinimized(): boolean {
      return this.minimized;
    }

    isDestroyed(): boolean {
      return this.destroyed;
    }

    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('closed');
      if (windows.every((w) => w.isDestroyed()) && !app.quitting) {
        if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
        else app.quit();
      }
    }

    /** What the close button does. */
    close(): void {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) } satisfies PreventableEvent);
      if (!prevented) this.destroy();
    }

    /** The page and its preload finished loading. */
    finishLoad(): void {
      this.webContents.emit('did-finish-load');
    }

    get url(): string {
      return this.loadURL.mock.calls.at(-1)?.[0] ?? '';
    }
  }

  class FakeTray extends Emitter {
    menu: FakeTemplateMenu | null = null;
    toolTip = '';
    destroyed = false;

    constructor(readonly image: string) {
      super();
      trays.push(this);
    }

    setToolTip(toolTip: string): void {
      this.toolTip = toolTip;
    }

    setContextMenu(menu: Menu): void {
      this.menu = menu as unknown as FakeTemplateMenu;
    }

    destroy(): void {
      this.destroyed = true;
    }

    /** The menu item with this label, as last set. */
    item(label: string): Extract<MenuItemTemplate, { label: string }> {
      const item = this.menu?.template.find((i): i is Extract<MenuItemTemplate, { label: string }> => 'label' in i && i.label === label);
      if (!item) throw new Error(`No tray menu item "${label}"`);
      return item;
    }
  }

  class FakeMessageChannelMain {
    readonly port1 = new FakePort();
    readonly port2 = new FakePort();

    constructor() {
      this.port1.peer = this.port2;
      this.port2.peer = this.port1;
    }
  }

  let encryptionAvailable = options.encryptionAvailable ?? true;
  const safeStorage: SafeStorageLike & { setAvailable(available: boolean): void } = {
    isEncryptionAvailable: () => encryptionAvailable,
    encryptString: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`),
    decryptString: (encrypted) => [...encrypted.toString().replace(/^enc:/, '')].reverse().join(''),
    setAvailable: (available) => {
      encryptionAvailable = available;
    },
  };

  const session = {
    headersListener: null as Parameters<ElectronLike['session']['defaultSession']['webRequest']['onHeadersReceived']>[0] | null,
    permissionRequest: null as Parameters<ElectronLike['session']['defaultSession']['setPermissionRequestHandler']>[0] | null,
    permissionCheck: null as Parameters<ElectronLike['session']['defaultSession']['setPermissionCheckHandler']>[0] | null,
  };

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    MessageChannelMain: FakeMessageChannelMain,
    ipcMain: {
      handle: vi.fn((channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown) => {
        handlers.set(channel, listener);
      }),
    },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: MenuItemTemplate[]): Menu => ({ template }) as unknown as Menu },
    powerMonitor: new Emitter(),
    shell: { openExternal: vi.fn((_url: string) => Promise.resolve()) },
    dialog: { showMessageBox: vi.fn((_options: MessageBoxOptions) => Promise.resolve({ response: 0 })) },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (listener: NonNullable<typeof session.headersListener>) => {
            session.headersListener = listener;
          },
        },
        setPermissionRequestHandler: (handler: NonNullable<typeof session.permissionRequest>) => {
          session.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: NonNullable<typeof session.permissionCheck>) => {
          session.permissionCheck = handler;
        },
      },
    },
    safeStorage,
  } satisfies ElectronLike;

  /** Calls an ipcMain.handle handler the way Electron would for a page. */
  async function invoke(channel: string, from: { sender: unknown; url: string | null }, ...args: unknown[]): Promise<unknown> {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler for ${channel}`);
    return await handler({ sender: from.sender, senderFrame: from.url === null ? null : { url: from.url } }, ...args);
  }

  return { electron, windows, trays, session, invoke };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeWindow = FakeElectron['windows'][number];
export type FakeTray = FakeElectron['trays'][number];

/**
 * Plays the engine page: serves the RPC envelopes of src-shared/rpc on every port its window receives,
 * with the account-wide pause switch and the scheduler wake-up main relies on.
 */
export class FakeEngine {
  paused = false;
  readonly calls: { method: string; params: unknown }[] = [];
  private readonly ports: FakePort[] = [];

  /** Serve every port this window receives from now on. */
  attach(window: FakeWindow): void {
    window.webContents.on('posted', (posted: Posted) => {
      if (posted.channel === IPC.enginePort) for (const port of posted.ports) this.serve(port);
    });
  }

  /** Pushes an event to every connected port, as the engine does after a change. */
  emit(name: string, payload: unknown): void {
    for (const port of this.ports) port.postMessage({ t: 'evt', name, payload } satisfies Envelope);
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  private serve(port: FakePort): void {
    this.ports.push(port);
    port.start();
    port.on('message', ({ data }: { data: unknown }) => {
      if (!isEnvelope(data) || data.t !== 'req') return;
      this.calls.push({ method: data.method, params: data.params });
      port.postMessage({ t: 'res', id: data.id, ok: true, result: this.answer(data.method, data.params) } satisfies Envelope);
    });
  }

  private answer(method: string, params: unknown): unknown {
    switch (method) {
      case 'settings.sending.set':
        this.paused = (params as { paused: boolean }).paused;
        return { paused: this.paused };
      case 'settings.sending.get':
        return { paused: this.paused };
      case 'system.wake':
        return { woke: true };
      default:
        return null;
    }
  }
}

/** Lets ports deliver and promise chains settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

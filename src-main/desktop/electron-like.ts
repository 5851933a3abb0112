import type { BrowserWindowConstructorOptions, Menu, MessageBoxOptions } from 'electron';

/**
 * The parts of Electron the main process uses, as structural types: the real `electron` module satisfies
 * them (src-main/index.ts passes it in) and unit tests pass fakes, since the Electron binary cannot run here.
 * Method syntax on purpose: it keeps Electron's richer listener signatures assignable to these.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

export interface MessagePortMainLike {
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export interface WebContentsLike {
  postMessage(channel: string, message: unknown, transfer?: MessagePortMainLike[]): void;
  on(event: 'did-finish-load', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  on(event: 'unresponsive', listener: () => void): unknown;
  on(event: 'responsive', listener: () => void): unknown;
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  destroy(): void;
}

/** A menu item as main builds it: a subset of Electron's MenuItemConstructorOptions. */
export type MenuItemTemplate =
  { type: 'separator' } | { label: string; type?: 'normal' | 'checkbox'; checked?: boolean; enabled?: boolean; click?: () => void };

export interface TrayLike {
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface IpcInvokeEvent {
  /** Compared by identity with our windows' webContents. */
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string } | null;
}

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring backs the encryption key. */
  getSelectedStorageBackend?(): string;
}

export interface SessionLike {
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface ElectronLike {
  readonly app: {
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    quit(): void;
    getVersion(): string;
    getPath(name: 'userData'): string;
    on(event: 'second-instance', listener: () => void): unknown;
    on(event: 'window-all-closed', listener: () => void): unknown;
    on(event: 'activate', listener: () => void): unknown;
    on(event: 'before-quit', listener: () => void): unknown;
    on(event: 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  };
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowLike;
  readonly MessageChannelMain: new () => { port1: MessagePortMainLike; port2: MessagePortMainLike };
  readonly ipcMain: {
    handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  };
  readonly Tray: new (image: string) => TrayLike;
  readonly Menu: { buildFromTemplate(template: MenuItemTemplate[]): Menu };
  readonly powerMonitor: {
    on(event: 'resume', listener: () => void): unknown;
    on(event: 'unlock-screen', listener: () => void): unknown;
  };
  readonly shell: { openExternal(url: string): Promise<void> };
  readonly dialog: { showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> };
  readonly session: { readonly defaultSession: SessionLike };
  readonly safeStorage: SafeStorageLike;
  /** Optional so the unit tests' fake Electron may leave it out; then notifications fall back to the page. */
  readonly Notification?: { new (options: { title: string; body: string }): NotificationLike; isSupported(): boolean };
}

export interface Logger {
  info(...params: unknown[]): void;
  warn(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

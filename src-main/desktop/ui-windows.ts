import type { BrowserWindowLike, ElectronLike, IpcInvokeEvent, Logger, WebContentsLike } from './electron-like';
import type { RendererSource } from './security';
import { isAppUrl, pageUrl } from './security';
import { secureWebPreferences } from './window-security';

export interface UiWindowsDeps {
  electron: Pick<ElectronLike, 'BrowserWindow'>;
  renderer: RendererSource;
  preload: string;
  icon: string;
  log: Logger;
  guard(window: BrowserWindowLike): void;
  /** The UI page (re)loaded: it needs a port to the engine (a reload loses the old one). */
  onLoaded(contents: WebContentsLike): void;
}

interface UiWindow {
  window: BrowserWindowLike;
  loaded: boolean;
}

/** The visible windows. Closing them all leaves the engine (and its scheduler) running behind the tray. */
export class UiWindows {
  private readonly open = new Set<UiWindow>();

  constructor(private readonly deps: UiWindowsDeps) {}

  /** Brings the existing window to the front, or opens one if none is open. */
  show(): void {
    const existing = [...this.open].find((ui) => !ui.window.isDestroyed());
    if (existing) {
      if (existing.window.isMinimized()) existing.window.restore();
      existing.window.show();
      existing.window.focus();
      return;
    }
    this.create();
  }

  /** Every UI page that is ready for a port. */
  loadedContents(): WebContentsLike[] {
    return [...this.open].filter((ui) => ui.loaded && !ui.window.isDestroyed()).map((ui) => ui.window.webContents);
  }

  isSender(event: IpcInvokeEvent): boolean {
    const ui = [...this.open].find((candidate) => !candidate.window.isDestroyed() && candidate.window.webContents === event.sender);
    return ui !== undefined && event.senderFrame !== null && isAppUrl(event.senderFrame.url, this.deps.renderer, 'index.html');
  }

  private create(): void {
    const window = new this.deps.electron.BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Action Plans',
      icon: this.deps.icon,
      webPreferences: secureWebPreferences(this.deps.preload),
    });
    const ui: UiWindow = { window, loaded: false };
    this.open.add(ui);
    this.deps.guard(window);
    // Shown once painted, so the user never sees an empty white frame.
    window.once('ready-to-show', () => window.show());
    window.webContents.on('did-finish-load', () => {
      ui.loaded = true;
      this.deps.onLoaded(window.webContents);
    });
    window.on('closed', () => this.open.delete(ui));
    window
      .loadURL(pageUrl(this.deps.renderer, 'index.html'))
      .catch((err: unknown) => this.deps.log.error('The app page did not load', err));
  }
}

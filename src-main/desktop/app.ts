import { join } from 'node:path';
import type { Host, HostDeps } from '../host';
import type { BrowserWindowLike, ElectronLike, Logger } from './electron-like';
import type { RestartPolicy } from './engine-supervisor';
import { defaultRestartPolicy } from './engine-supervisor';
import type { EngineClient } from './engine-window';
import { EngineWindow } from './engine-window';
import { registerIpc } from './ipc';
import { SafeStorageSecretStore } from './secrets';
import type { RendererSource } from './security';
import { sendingSwitch } from './sending-switch';
import { TrayIcon } from './tray';
import { UiWindows } from './ui-windows';
import type { GuardDeps } from './window-security';
import { guardSession, guardWebContents, openExternalSafely } from './window-security';

export interface DesktopAppDeps {
  electron: ElectronLike;
  createHost(deps: HostDeps): Host;
  log: Logger;
  renderer: RendererSource;
  paths: { preloadDir: string; trayIcon: string; appIcon: string };
  platform: NodeJS.Platform;
  restartPolicy?: RestartPolicy;
}

/** How long quitting waits for the host to finish sends in flight before it quits anyway. */
const hostCloseTimeoutMs = 10_000;

/**
 * The Electron main process (DESIGN §4): one hidden engine window that keeps the scheduler running, UI
 * windows that come and go, the tray, the host adapters behind IPC, and waking the engine after sleep.
 */
export async function startDesktopApp(deps: DesktopAppDeps): Promise<void> {
  const { electron, log } = deps;
  const { app } = electron;

  // A second copy would open the same database and run a second scheduler: hand over to the first one.
  if (!app.requestSingleInstanceLock()) {
    log.info('Action Plans is already running; the running copy opens its window');
    app.quit();
    return;
  }
  // With a listener here Electron does not quit when the last window closes: the engine window lives
  // on (hidden) and the tray offers Open and Quit.
  app.on('window-all-closed', () => log.info('No window left open; the app keeps running in the tray'));

  await app.whenReady();
  log.info(`Action Plans ${app.getVersion()} starting`);
  guardSession(electron.session.defaultSession, deps.renderer);

  const dataDir = app.getPath('userData');
  // Notifications may fire before the windows exist; a click then opens the window once it does.
  let openLead = (_leadId: string | null): void => undefined;
  const host = deps.createHost({
    dataDir,
    // Not the web host's secrets.json (clear text, 0600): the two formats must never be mistaken for each other.
    secrets: new SafeStorageSecretStore(electron.safeStorage, join(dataDir, 'secrets.safe-storage.json'), deps.platform),
    info: { shell: 'desktop', version: app.getVersion(), testMode: false },
    notify: (n) => showNotification(electron, n, () => openLead(n.leadId)),
  });
  const guardDeps: GuardDeps = { renderer: deps.renderer, openExternal: (url) => electron.shell.openExternal(url), log };
  const { ui, engine, tray, client } = createWindows(deps, guardDeps);
  openLead = (leadId) => {
    ui.show();
    if (leadId)
      void client()
        ?.call('notifications.open', { leadId })
        .catch((err: unknown) => log.warn('Could not open the lead', err));
  };

  registerIpc(electron.ipcMain, {
    host,
    isEngineSender: (event) => engine.isSender(event),
    isUiSender: (event) => ui.isSender(event),
    openExternal: (url) => openExternalSafely(url, guardDeps),
    log,
  });
  wakeAfterSleep(electron.powerMonitor, client, log);

  app.on('second-instance', () => ui.show());
  // macOS: clicking the dock icon with no window open brings the window back.
  app.on('activate', () => ui.show());
  app.on('before-quit', () => engine.stop());
  let hostClosed = false;
  app.on('will-quit', (event) => {
    if (hostClosed) return;
    event.preventDefault();
    hostClosed = true;
    tray.destroy();
    void closeWithin(host, hostCloseTimeoutMs, log).finally(() => app.quit());
  });

  engine.start();
  ui.show();
}

/** The engine window, the UI windows and the tray, wired to each other. */
function createWindows(deps: DesktopAppDeps, guardDeps: GuardDeps) {
  const { electron, log } = deps;
  const guard = (window: BrowserWindowLike): void => guardWebContents(window.webContents, guardDeps);
  const preload = (name: 'ui' | 'engine'): string => join(deps.paths.preloadDir, `${name}.js`);
  let connected: EngineClient | null = null;
  const client = (): EngineClient | null => connected;
  const sending = sendingSwitch(client, log, (paused) => tray.showSendingState(paused));

  const ui = new UiWindows({
    electron,
    renderer: deps.renderer,
    preload: preload('ui'),
    icon: deps.paths.appIcon,
    log,
    guard,
    onLoaded: (contents) => {
      if (engine.loaded) engine.connect(contents);
    },
  });

  const tray = new TrayIcon(
    electron,
    deps.paths.trayIcon,
    { open: () => ui.show(), setSendingPaused: (paused) => sending.set(paused), quit: () => electron.app.quit() },
    deps.platform,
  );

  const engine = new EngineWindow({
    electron,
    renderer: deps.renderer,
    preload: preload('engine'),
    policy: deps.restartPolicy ?? defaultRestartPolicy,
    log,
    guard,
    onConnected: (engineClient) => {
      connected = engineClient;
      // A new engine serves only the ports it received: every open UI window needs a fresh one.
      for (const contents of ui.loadedContents()) engine.connect(contents);
      engineClient.on('changed', () => sending.refresh());
      sending.refresh();
    },
    onDisconnected: () => {
      connected = null;
      tray.showSendingState(null);
    },
    onGiveUp: (failures) => {
      void askAfterGiveUp(electron.dialog, failures).then((tryAgain) => (tryAgain ? engine.retry() : electron.app.quit()));
    },
  });

  return { ui, engine, tray, client };
}

/** Returns true when the user chose to try again. */
async function askAfterGiveUp(dialog: ElectronLike['dialog'], failures: number): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Action Plans',
    message: 'The scheduler keeps stopping',
    detail:
      `It stopped ${failures} times within a minute, so it was not started again. ` +
      'Nothing scheduled is lost: steps that come due wait until it runs.',
    buttons: ['Try again', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

/** After sleep the scheduler's timer is late: wake it so overdue steps run (or are skipped) by each plan's misfire policy. */
function wakeAfterSleep(powerMonitor: ElectronLike['powerMonitor'], client: () => EngineClient | null, log: Logger): void {
  const wake = (reason: string): void => {
    const engine = client();
    if (!engine) {
      log.info(`Not waking the engine after ${reason}: it is not running (it catches up when it starts)`);
      return;
    }
    engine.call('system.wake', { reason }).catch((err: unknown) => log.warn(`Waking the engine after ${reason} failed`, err));
  };
  powerMonitor.on('resume', () => wake('resume'));
  powerMonitor.on('unlock-screen', () => wake('unlock-screen'));
}

/** Sends in flight get time to finish (no send is cut between the server's answer and the journal), but quitting never hangs. */
async function closeWithin(host: Host, timeoutMs: number, log: Logger): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn(`The host did not close within ${timeoutMs} ms; quitting anyway`);
      resolve();
    }, timeoutMs);
  });
  try {
    await Promise.race([host.close().catch((err: unknown) => log.error('Closing the host failed', err)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A system notification (DESIGN §4: main shows notifications); a click brings the app window forward. */
function showNotification(electron: ElectronLike, n: { title: string; body: string }, onClick: () => void): boolean {
  const N = electron.Notification;
  if (!N?.isSupported()) return false;
  const notification = new N({ title: n.title, body: n.body });
  notification.on('click', onClick);
  notification.show();
  return true;
}

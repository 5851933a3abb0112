import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '@shared/bridge';
import type { Host, HostReply } from '../../../src-main/host';
import type { DesktopAppDeps } from '../../../src-main/desktop/app';
import { startDesktopApp } from '../../../src-main/desktop/app';
import { defaultRestartPolicy } from '../../../src-main/desktop/engine-supervisor';
import type { RendererSource } from '../../../src-main/desktop/security';
import { cspHeader } from '../../../src-main/desktop/security';
import type { FakeWindow } from './desktop-fake-electron';
import { FakeEngine, createFakeElectron, navigation, settle } from './desktop-fake-electron';

const renderer: RendererSource = { kind: 'files', dir: '/opt/action-plans/out/renderer' };
const enginePage = 'file:///opt/action-plans/out/renderer/engine.html';
const uiPage = 'file:///opt/action-plans/out/renderer/index.html';

function setup(options: Parameters<typeof createFakeElectron>[0] = {}) {
  const fake = createFakeElectron(options);
  const host = {
    call: vi.fn((_method: string, _params: unknown): Promise<HostReply> => Promise.resolve({ ok: true, result: { messageId: 'm1' } })),
    close: vi.fn(() => Promise.resolve()),
  } satisfies Host;
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const engine = new FakeEngine();
  const deps: DesktopAppDeps = {
    electron: fake.electron,
    createHost: vi.fn(() => host),
    log,
    renderer,
    paths: {
      preloadDir: '/opt/action-plans/out/preload',
      trayIcon: '/opt/action-plans/resources/tray.png',
      appIcon: '/opt/action-plans/resources/icon.png',
    },
    platform: 'linux',
  };
  const engineWindows = (): FakeWindow[] => fake.windows.filter((w) => w.url.endsWith('/engine.html'));
  const uiWindows = (): FakeWindow[] => fake.windows.filter((w) => w.url.endsWith('/index.html'));
  const live = (windows: FakeWindow[]): FakeWindow[] => windows.filter((w) => !w.isDestroyed());
  return {
    fake,
    host,
    log,
    engine,
    deps,
    start: () => startDesktopApp(deps),
    engineWindow: () => live(engineWindows()).at(-1)!,
    uiWindow: () => live(uiWindows()).at(-1)!,
    engineWindows,
    uiWindows,
    live,
    tray: () => fake.trays[0]!,
    /** The engine page loads and starts serving the ports main hands it. */
    loadEngine(window = live(engineWindows()).at(-1)!) {
      engine.attach(window);
      window.finishLoad();
    },
  };
}

/** Started, with the engine and the first UI window loaded. */
async function running(options: Parameters<typeof createFakeElectron>[0] = {}) {
  const app = setup(options);
  await app.start();
  app.loadEngine();
  app.uiWindow().finishLoad();
  await settle();
  return app;
}

const crash = (window: FakeWindow, reason = 'crashed'): void =>
  window.webContents.emit('render-process-gone', {}, { reason, exitCode: 139 });

afterEach(() => {
  vi.useRealTimers();
});

describe('windows and ports', () => {
  it('starts one hidden engine window that keeps running in the background, and one UI window', async () => {
    const app = setup();
    await app.start();

    expect(app.engineWindows()).toHaveLength(1);
    expect(app.uiWindows()).toHaveLength(1);
    const engine = app.engineWindow().options;
    expect(engine.show).toBe(false);
    expect(engine.webPreferences).toMatchObject({ backgroundThrottling: false, preload: '/opt/action-plans/out/preload/engine.js' });
    const ui = app.uiWindow().options;
    expect(ui).toMatchObject({ width: 1280, height: 800, minWidth: 900, minHeight: 600, show: false });
    expect(ui.webPreferences?.preload).toBe('/opt/action-plans/out/preload/ui.js');
    expect(app.engineWindow().url).toBe(enginePage);
    expect(app.uiWindow().url).toBe(uiPage);
  });

  it('every window runs sandboxed, isolated from the preload, without Node, with web security on', async () => {
    const app = setup();
    await app.start();

    for (const window of app.fake.windows) {
      expect(window.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
      });
    }
  });

  it('the UI window appears once painted, not as an empty frame', async () => {
    const app = setup();
    await app.start();
    expect(app.uiWindow().show).not.toHaveBeenCalled();

    app.uiWindow().emit('ready-to-show');
    expect(app.uiWindow().show).toHaveBeenCalled();
  });

  it('each UI window gets its own port to the engine', async () => {
    const app = await running();
    const first = app.uiWindow();
    const [firstPort] = first.webContents.ports(IPC.enginePort);
    expect(firstPort).toBeDefined();
    expect(app.engineWindow().webContents.ports(IPC.enginePort)).toContain(firstPort!.peer);

    first.close();
    app.tray().item('Open').click!();
    const second = app.uiWindow();
    second.finishLoad();

    expect(second).not.toBe(first);
    const [secondPort] = second.webContents.ports(IPC.enginePort);
    expect(secondPort).toBeDefined();
    expect(secondPort).not.toBe(firstPort);
    expect(app.engineWindow().webContents.ports(IPC.enginePort)).toContain(secondPort!.peer);
  });

  it('a UI window that loads before the engine gets its port once the engine is up', async () => {
    const app = setup();
    await app.start();
    app.uiWindow().finishLoad();
    expect(app.uiWindow().webContents.ports(IPC.enginePort)).toHaveLength(0);

    app.loadEngine();

    const [port] = app.uiWindow().webContents.ports(IPC.enginePort);
    expect(app.engineWindow().webContents.ports(IPC.enginePort)).toContain(port!.peer);
  });

  it('a reloaded UI page gets a fresh port (the old one died with the page)', async () => {
    const app = await running();
    app.uiWindow().finishLoad();
    expect(app.uiWindow().webContents.ports(IPC.enginePort)).toHaveLength(2);
  });

  it('a recreated engine gives every open UI window a fresh port', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    const ui = app.uiWindow();
    const oldEngine = app.engineWindow();

    crash(oldEngine);
    expect(oldEngine.isDestroyed()).toBe(true);
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.firstDelayMs);
    const newEngine = app.engineWindow();
    expect(newEngine).not.toBe(oldEngine);
    app.loadEngine(newEngine);

    const ports = ui.webContents.ports(IPC.enginePort);
    expect(ports).toHaveLength(2);
    expect(newEngine.webContents.ports(IPC.enginePort)).toContain(ports[1]!.peer);
  });
});

describe('closing and quitting', () => {
  it('closing the UI window keeps the scheduler running and the app open', async () => {
    const app = await running();
    const engineWindow = app.engineWindow();

    app.uiWindow().close();
    await settle();

    expect(app.live(app.uiWindows())).toHaveLength(0);
    expect(engineWindow.isDestroyed()).toBe(false);
    expect(app.fake.electron.app.quit).not.toHaveBeenCalled();
    // The engine still answers main: the tray's switch keeps working with no window open.
    app.tray().item('Pause all sending').click!();
    await settle();
    expect(app.engine.paused).toBe(true);
  });

  it('the app stays open even when the engine is gone while no window is open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    app.uiWindow().close();

    crash(app.engineWindow());

    expect(app.live(app.fake.windows)).toHaveLength(0);
    expect(app.fake.electron.app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.firstDelayMs);
    expect(app.live(app.engineWindows())).toHaveLength(1);
  });

  it('Open in the tray brings the window back', async () => {
    const app = await running();
    app.uiWindow().close();

    app.tray().item('Open').click!();

    expect(app.live(app.uiWindows())).toHaveLength(1);
  });

  it('Quit in the tray quits for real, after the host has finished its sends', async () => {
    const app = await running();

    app.tray().item('Quit').click!();
    await settle();

    expect(app.host.close).toHaveBeenCalled();
    expect(app.fake.electron.app.quitting).toBe(true);
    expect(app.live(app.fake.windows)).toHaveLength(0);
    expect(app.tray().destroyed).toBe(true);
  });

  it('quitting closes the engine window without taking it for a crash', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();

    app.fake.electron.app.quit();
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(app.live(app.fake.windows)).toHaveLength(0);
    expect(app.engineWindows()).toHaveLength(1);
  });
});

describe('tray pause switch', () => {
  it('Pause all sending in the tray pauses the engine and the checkbox shows it', async () => {
    const app = await running();
    expect(app.tray().item('Pause all sending')).toMatchObject({ type: 'checkbox', checked: false, enabled: true });

    app.tray().item('Pause all sending').click!();
    await settle();

    expect(app.engine.callsOf('settings.sending.set')).toEqual([{ paused: true }]);
    expect(app.tray().item('Pause all sending').checked).toBe(true);

    app.tray().item('Pause all sending').click!();
    await settle();
    expect(app.engine.paused).toBe(false);
    expect(app.tray().item('Pause all sending').checked).toBe(false);
  });

  it('the checkbox shows a pause made in the app', async () => {
    const app = await running();

    app.engine.paused = true;
    app.engine.emit('changed', { tables: ['settings'] });
    await settle();

    expect(app.tray().item('Pause all sending').checked).toBe(true);
  });

  it('the checkbox is disabled while the engine is not running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();

    crash(app.engineWindow());

    expect(app.tray().item('Pause all sending').enabled).toBe(false);
  });
});

describe('sleep and second launch', () => {
  it('waking from sleep runs the scheduler at once', async () => {
    const app = await running();

    app.fake.electron.powerMonitor.emit('resume');
    app.fake.electron.powerMonitor.emit('unlock-screen');
    await settle();

    expect(app.engine.callsOf('system.wake')).toEqual([{ reason: 'resume' }, { reason: 'unlock-screen' }]);
  });

  it('a second launch focuses the window that is already open', async () => {
    const app = await running();
    const window = app.uiWindow();
    window.minimized = true;

    app.fake.electron.app.emit('second-instance');

    expect(app.uiWindows()).toHaveLength(1);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('a second launch opens the window when it was closed', async () => {
    const app = await running();
    app.uiWindow().close();

    app.fake.electron.app.emit('second-instance');

    expect(app.live(app.uiWindows())).toHaveLength(1);
  });

  it('a second copy hands over to the running one and opens nothing', async () => {
    const app = setup({ singleInstanceLock: false });
    await app.start();

    expect(app.fake.electron.app.quit).toHaveBeenCalled();
    expect(app.fake.windows).toHaveLength(0);
    expect(app.deps.createHost).not.toHaveBeenCalled();
  });
});

describe('IPC from the pages', () => {
  it('host calls are answered for the engine page', async () => {
    const app = await running();

    const reply = await app.fake.invoke(IPC.hostCall, { sender: app.engineWindow().webContents, url: enginePage }, 'email.send', { a: 1 });

    expect(app.host.call).toHaveBeenCalledWith('email.send', { a: 1 });
    expect(reply).toEqual({ ok: true, result: { messageId: 'm1' } });
  });

  it('host calls from the UI window are refused', async () => {
    const app = await running();

    const sender = app.uiWindow().webContents;

    for (const url of [uiPage, enginePage]) {
      const reply = await app.fake.invoke(IPC.hostCall, { sender, url }, 'email.send', {});
      expect(reply).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
    }
    expect(app.host.call).not.toHaveBeenCalled();
  });

  it('host calls from a foreign page inside the engine window are refused', async () => {
    const app = await running();
    const sender = app.engineWindow().webContents;

    for (const url of ['https://evil.example/engine.html', 'file:///tmp/engine.html', null]) {
      const reply = await app.fake.invoke(IPC.hostCall, { sender, url }, 'secrets.set', { name: 'x', value: 'y' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
    }
    expect(app.host.call).not.toHaveBeenCalled();
  });

  it('host calls from a crashed engine window are refused', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    const old = app.engineWindow();
    crash(old);

    const reply = await app.fake.invoke(IPC.hostCall, { sender: old.webContents, url: enginePage }, 'email.send', {});

    expect(reply).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
  });

  it('the UI window opens web and mail links in the browser, and nothing else', async () => {
    const app = await running();
    const fromUi = { sender: app.uiWindow().webContents, url: uiPage };

    await app.fake.invoke(IPC.openExternal, fromUi, 'https://example.com/listing/1');
    await app.fake.invoke(IPC.openExternal, fromUi, 'mailto:lead@example.com');
    await expect(app.fake.invoke(IPC.openExternal, fromUi, 'file:///etc/passwd')).rejects.toThrow(/web .* and email/);
    await expect(app.fake.invoke(IPC.openExternal, fromUi, 'smb://share/x')).rejects.toThrow();

    expect(app.fake.electron.shell.openExternal.mock.calls).toEqual([['https://example.com/listing/1'], ['mailto:lead@example.com']]);
  });

  it('only the UI window may open links', async () => {
    const app = await running();

    const fromEngine = app.fake.invoke(
      IPC.openExternal,
      { sender: app.engineWindow().webContents, url: enginePage },
      'https://example.com',
    );

    await expect(fromEngine).rejects.toThrow(/app window/);
    expect(app.fake.electron.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('pages never leave the app', () => {
  it('navigation away from our pages is blocked, in every window', async () => {
    const app = await running();

    for (const window of app.fake.windows) {
      for (const event of ['will-navigate', 'will-redirect']) {
        const away = navigation('https://evil.example/');
        const home = navigation(`${uiPage}#/plans`);
        window.webContents.emit(event, away);
        window.webContents.emit(event, home);
        expect(away.prevented).toBe(true);
        expect(home.prevented).toBe(false);
      }
    }
  });

  it('window.open never opens a window: web links go to the browser, anything else is refused', async () => {
    const app = await running();
    const open = app.uiWindow().webContents.windowOpenHandler!;

    expect(open({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await settle();

    expect(app.fake.electron.shell.openExternal.mock.calls).toEqual([['https://example.com/']]);
  });

  it('webviews are never attached', async () => {
    const app = await running();
    const attempt = navigation('about:blank');

    app.uiWindow().webContents.emit('will-attach-webview', attempt);

    expect(attempt.prevented).toBe(true);
  });

  it('our pages get the strict content security policy; other responses are left alone', async () => {
    const app = await running();
    const listener = app.fake.session.headersListener!;
    const answer = (url: string): unknown => {
      let response: unknown;
      listener({ url, responseHeaders: { 'X-Test': ['1'] } }, (r) => (response = r));
      return response;
    };

    expect(answer(uiPage)).toEqual({ responseHeaders: { 'X-Test': ['1'], 'Content-Security-Policy': [cspHeader(renderer)] } });
    expect(answer(enginePage)).toMatchObject({ responseHeaders: { 'Content-Security-Policy': [cspHeader(renderer)] } });
    expect(answer('https://example.com/')).toEqual({});
  });

  it('pages get no permission but notifications', async () => {
    const app = await running();
    const granted: boolean[] = [];
    const request = (permission: string): void => app.fake.session.permissionRequest!(null, permission, (g) => granted.push(g));

    request('notifications');
    request('media');
    request('geolocation');

    expect(granted).toEqual([true, false, false]);
    expect(app.fake.session.permissionCheck!(null, 'notifications')).toBe(true);
    expect(app.fake.session.permissionCheck!(null, 'clipboard-read')).toBe(false);
  });
});

describe('engine supervision', () => {
  it('a crashed engine is restarted after 1 s, 2 s, 4 s…, then the user is asked', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    app.fake.electron.dialog.showMessageBox.mockResolvedValue({ response: 1 });

    const delays: number[] = [];
    for (let failure = 1; failure <= defaultRestartPolicy.maxFailures; failure++) {
      const count = app.engineWindows().length;
      crash(app.engineWindow());
      let waited = 0;
      while (app.engineWindows().length === count) {
        await vi.advanceTimersByTimeAsync(500);
        waited += 500;
      }
      delays.push(waited);
      app.loadEngine();
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000].map((d) => Math.min(d, defaultRestartPolicy.maxDelayMs)));

    crash(app.engineWindow());
    await settle();

    expect(app.fake.electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(app.live(app.engineWindows())).toHaveLength(0);
  });

  it('after giving up, Try again starts the engine afresh', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = setup();
    app.deps.restartPolicy = { ...defaultRestartPolicy, maxFailures: 0 };
    await app.start();
    app.loadEngine();
    app.fake.electron.dialog.showMessageBox.mockResolvedValue({ response: 0 });

    crash(app.engineWindow());
    await settle();

    expect(app.fake.electron.dialog.showMessageBox).toHaveBeenCalled();
    expect(app.live(app.engineWindows())).toHaveLength(1);
    expect(app.engineWindows()).toHaveLength(2);
  });

  it('a clean exit of the engine page is not a crash', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    const engine = app.engineWindow();

    crash(engine, 'clean-exit');
    await vi.advanceTimersByTimeAsync(60_000);

    expect(engine.isDestroyed()).toBe(false);
    expect(app.engineWindows()).toHaveLength(1);
  });

  it('a busy engine is left alone; only one that stays unresponsive is replaced', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    const engine = app.engineWindow();

    engine.webContents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.unresponsiveMs - 1);
    engine.webContents.emit('responsive');
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.unresponsiveMs);
    expect(engine.isDestroyed()).toBe(false);

    engine.webContents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.unresponsiveMs);
    expect(engine.isDestroyed()).toBe(true);
    await vi.advanceTimersByTimeAsync(defaultRestartPolicy.firstDelayMs);
    expect(app.live(app.engineWindows())).toHaveLength(1);
  });

  it('wake-ups while the engine is down are skipped, not queued (it catches up when it starts)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await running();
    crash(app.engineWindow());

    app.fake.electron.powerMonitor.emit('resume');
    await settle();

    expect(app.engine.callsOf('system.wake')).toEqual([]);
  });
});

describe('host', () => {
  it('the host keeps its files in the user data folder and says it is the desktop shell', async () => {
    const app = await running();

    expect(app.deps.createHost).toHaveBeenCalledWith(
      expect.objectContaining({
        dataDir: '/tmp/action-plans-test-user-data',
        info: { shell: 'desktop', version: '1.2.3', testMode: false },
      }),
    );
  });
});

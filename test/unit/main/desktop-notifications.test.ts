import { describe, expect, it, vi } from 'vitest';
import type { Host, HostDeps, HostReply } from '../../../src-main/host';
import { startDesktopApp } from '../../../src-main/desktop/app';
import { createFakeElectron, FakeEngine, settle } from './desktop-fake-electron';

/** Electron's Notification, as the app uses it: shown, and clicked by the user. */
class FakeNotification {
  static shown: FakeNotification[] = [];
  static isSupported = () => true;
  private clickListener: (() => void) | null = null;
  constructor(readonly options: { title: string; body: string }) {}
  show(): void {
    FakeNotification.shown.push(this);
  }
  on(_event: 'click', listener: () => void): this {
    this.clickListener = listener;
    return this;
  }
  click(): void {
    this.clickListener?.();
  }
}

describe('desktop notifications (Electron main)', () => {
  it('a notification from the engine is shown by the system, and clicking it brings the app window forward on that lead', async () => {
    const fake = createFakeElectron();
    let hostDeps: HostDeps | undefined;
    const host = {
      call: vi.fn((): Promise<HostReply> => Promise.resolve({ ok: true, result: {} })),
      close: vi.fn(() => Promise.resolve()),
    } satisfies Host;
    await startDesktopApp({
      electron: { ...fake.electron, Notification: FakeNotification },
      createHost: (deps) => {
        hostDeps = deps;
        return host;
      },
      log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
      renderer: { kind: 'files', dir: '/opt/action-plans/out/renderer' },
      paths: { preloadDir: '/p', trayIcon: '/t.png', appIcon: '/i.png' },
      platform: 'linux',
    });
    const engineWindow = fake.windows.find((w) => w.url.endsWith('/engine.html'))!;
    const engine = new FakeEngine();
    engine.attach(engineWindow);
    engineWindow.finishLoad();
    const ui = fake.windows.find((w) => w.url.endsWith('/index.html'))!;
    ui.finishLoad();
    await settle();

    expect(hostDeps?.notify?.({ title: 'Webhook failed', body: 'Zapier answered 422', leadId: 'lead-1' })).toBe(true);
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Webhook failed', body: 'Zapier answered 422' }]);
    ui.show.mockClear();
    FakeNotification.shown[0]!.click();
    expect(ui.show).toHaveBeenCalled();
    await settle();
    expect(engine.callsOf('notifications.open')).toEqual([{ leadId: 'lead-1' }]);
  });

  it('without system notifications the host says so, and the engine hands the notification to the page', async () => {
    const fake = createFakeElectron();
    let hostDeps: HostDeps | undefined;
    await startDesktopApp({
      electron: fake.electron,
      createHost: (deps) => {
        hostDeps = deps;
        return { call: () => Promise.resolve({ ok: true, result: {} }), close: () => Promise.resolve() };
      },
      log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
      renderer: { kind: 'files', dir: '/opt/action-plans/out/renderer' },
      paths: { preloadDir: '/p', trayIcon: '/t.png', appIcon: '/i.png' },
      platform: 'linux',
    });
    expect(hostDeps?.notify?.({ title: 't', body: 'b', leadId: null })).toBe(false);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './desktop-fake-electron';
import { createFakeElectron, settle } from './desktop-fake-electron';

// src-main/index.ts wires the real modules together; here 'electron' is the fake, as the binary cannot run.
vi.mock('electron-log/main', () => ({ default: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } }));
vi.mock('../../../src-main/host', () => ({
  createHost: vi.fn(() => ({ call: vi.fn(), close: vi.fn(() => Promise.resolve()) })),
}));

/** Runs the entry once more, against a fresh fake Electron. */
async function launch(): Promise<FakeElectron> {
  vi.resetModules();
  const fake = createFakeElectron();
  vi.doMock('electron', () => fake.electron);
  await import('../../../src-main/index');
  await settle();
  return fake;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the app entry (src-main/index.ts)', () => {
  it('a build loads the pages and preloads electron-vite wrote next to main', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    const fake = await launch();

    const [engine, ui] = fake.windows;
    expect(engine!.url).toMatch(/^file:\/\/.*\/renderer\/engine\.html$/);
    expect(ui!.url).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
    expect(engine!.options.webPreferences?.preload).toMatch(/[/\\]preload[/\\]engine\.js$/);
    expect(ui!.options.webPreferences?.preload).toMatch(/[/\\]preload[/\\]ui\.js$/);
    expect(fake.trays[0]!.image).toMatch(/[/\\]resources[/\\]tray\.png$/);
  });

  it('electron-vite dev loads the pages from its dev server', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    const fake = await launch();

    expect(fake.windows.map((w) => w.url)).toEqual(['http://localhost:5173/engine.html', 'http://localhost:5173/index.html']);
  });
});

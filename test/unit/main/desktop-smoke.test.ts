import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const mainEntry = resolve(root, 'out/main/index.js');

/** The `electron` package exports the binary's path, and throws when its install step did not download it. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

describe('desktop smoke (real Electron)', () => {
  it('the built app opens its main window', async (ctx) => {
    const executablePath = electronBinary();
    if (executablePath === null)
      return ctx.skip('Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): desktop smoke test skipped');
    if (!existsSync(mainEntry)) return ctx.skip('out/main/index.js is missing: run `npm run build` before the desktop smoke test');

    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath, args: [mainEntry], cwd: root });
    try {
      // The engine window is hidden and opens first; the user's window is the one showing index.html.
      let ui = app.windows().find((page) => page.url().endsWith('/index.html'));
      while (!ui) {
        await app.waitForEvent('window', { timeout: 30_000 });
        ui = app.windows().find((page) => page.url().endsWith('/index.html'));
      }
      await ui.waitForLoadState('domcontentloaded');
      expect(await ui.title()).toMatch(/Action Plans/i);
    } finally {
      await app.close();
    }
  }, 60_000);
});

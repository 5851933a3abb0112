// Runs the end-to-end suite (vitest + Playwright in Debian Chromium) against the built app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
if (!existsSync('out/main/web.js') || !existsSync('out/renderer/index.html')) {
  console.error('The app is not built: run npm run build first.');
  process.exit(1);
}
const args = ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);

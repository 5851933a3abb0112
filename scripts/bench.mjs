// Runs every benchmark in bench/ (each prints its own figures): the *.bench.ts files through vitest
// (engine on fake-indexeddb, as in unit tests), then each *.bench.mjs with Node (e.g. the Chromium run).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
let status = spawnSync('npx', ['vitest', 'run', '--config', 'bench/vitest.config.ts', ...args], { stdio: 'inherit' }).status ?? 1;
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => args.length === 0 || args.some((a) => f.includes(a)));
for (const file of scripts) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join('bench', file)], { stdio: 'inherit' });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);

// Runs every benchmark in bench/ (each prints its own figures and checks its target):
// engine benchmarks (*.bench.ts) under vitest, then browser benchmarks (*.mjs, Chromium) one by one.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

let failed = 0;
const r = spawnSync('npx', ['vitest', 'run', '--config', 'bench/vitest.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
if (r.status !== 0) failed++;
for (const file of readdirSync('bench')
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  console.log(`\n== bench/${file}`);
  const b = spawnSync(process.execPath, [`bench/${file}`], { stdio: 'inherit' });
  if (b.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

// Runs every benchmark in bench/ (each prints its own figures and checks its target):
// the *.bench.ts files through vitest, then each *.bench.mjs (those drive the built app) with node.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

let failed = 0;
const vitest = spawnSync('npx', ['vitest', 'run', '--config', 'bench/vitest.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
if (vitest.status !== 0) failed++;
for (const file of readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  console.log(`== ${file}`);
  const r = spawnSync(process.execPath, [join('bench', file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

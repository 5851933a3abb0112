// Runs every benchmark in bench/ (one file each), one after another; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync('bench')
  .filter((f) => /\.bench\.m?js$/.test(f))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`== ${file}`);
  const r = spawnSync(process.execPath, [join('bench', file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

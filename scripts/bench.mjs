// Runs every benchmark in bench/ (one file each) and lets each print its figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = readdirSync('bench')
  .filter((f) => f.endsWith('.mjs'))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n== bench/${file}`);
  const r = spawnSync(process.execPath, [`bench/${file}`, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

// Runs every benchmark under bench/ (one file per target); each prints its own figures.
import { spawnSync } from 'node:child_process';

const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.bench.config.ts', '--reporter', 'verbose', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);

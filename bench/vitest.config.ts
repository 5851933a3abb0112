import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** Benchmarks: the engine on fake-indexeddb (as in unit tests), one file per benchmark, run one at a time. */
export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, '../src-shared') } },
  test: {
    root: resolve(__dirname, '..'),
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    setupFiles: ['test/unit/setup.ts'],
    testTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

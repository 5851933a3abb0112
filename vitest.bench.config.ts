import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** Benchmarks (`npm run bench`): each file under bench/ measures one speed target and prints its figures. */
export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, 'src-shared') } },
  test: {
    include: ['bench/**/*.bench.ts'],
    setupFiles: ['test/unit/setup.ts'],
    environment: 'node',
    testTimeout: 600_000,
    fileParallelism: false,
  },
});

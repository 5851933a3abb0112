import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// CI (.ci/run) sets TEST_REPORT_DIR to add up the totals of every suite.
const reportDir = process.env.TEST_REPORT_DIR;
const reporting = reportDir ? { reporters: ['default', 'json'], outputFile: { json: `${reportDir}/unit.json` } } : {};

export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, 'src-shared') } },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['test/unit/setup.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    ...reporting,
  },
});

import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// CI (.ci/run) sets TEST_REPORT_DIR to add up the totals of every suite.
const reportDir = process.env.TEST_REPORT_DIR;
const reporting = reportDir ? { reporters: ['default', 'json'], outputFile: { json: `${reportDir}/e2e.json` } } : {};

/** End-to-end: the built app in web mode, driven in Debian Chromium by Playwright, with real peers on loopback. */
export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, 'src-shared') } },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
    ...reporting,
  },
});

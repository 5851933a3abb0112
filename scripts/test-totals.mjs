// Sums the vitest JSON reports (unit + e2e) written to TEST_REPORT_DIR and prints the CI line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const files = dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const f of files) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // A file that failed to load counts as a failure even when it ran no test.
  failed += (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (files.length < 2) {
  console.log(`(only ${files.length} of 2 test reports were written: a step before the tests failed)`);
  failed += 2 - files.length;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

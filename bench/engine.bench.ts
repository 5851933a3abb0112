/** Engine benchmark on fake-indexeddb: `npm run bench` (scale down with BENCH_SCALE=0.1). Prints figures; not a timed test. */
import { expect, it } from 'vitest';
import { printTable, runEngineBench } from './lib/engine-core';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const sizes = {
  leads: Math.round(100_000 * scale),
  enrollments: Math.round(200_000 * scale),
  smallNotDue: Math.round(10_000 * scale),
  dueForThroughput: Math.round(2_000 * scale),
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return `heap ${mb(m.heapUsed)}, rss ${mb(m.rss)}`;
};

it('engine: finding due work does not grow with not-due enrollments; internal steps per second; memory', async () => {
  const { rows, summary } = await runEngineBench(`bench-engine-${process.pid}`, sizes, memory);
  printTable('Engine on fake-indexeddb (Node)', rows);
  console.log(`\nSUMMARY ${summary} [fake-indexeddb]`);
  expect(rows.length).toBeGreaterThan(0);
});

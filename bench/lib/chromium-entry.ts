/** Browser side of the Chromium benchmark: runs the engine benchmark on real IndexedDB. */
import type { BenchSizes } from './engine-core';
import { runEngineBench } from './engine-core';

interface ChromeMemory {
  usedJSHeapSize: number;
  totalJSHeapSize: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

(globalThis as unknown as { runBench: (sizes: BenchSizes) => Promise<unknown> }).runBench = (sizes) =>
  runEngineBench(`bench-${Date.now()}`, sizes, () => {
    const m = (performance as unknown as { memory?: ChromeMemory }).memory;
    return m ? `JS heap ${mb(m.usedJSHeapSize)} of ${mb(m.totalJSHeapSize)}` : 'n/a';
  });

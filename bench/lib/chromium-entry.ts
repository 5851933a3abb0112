/** Browser side of the Chromium benchmark: runs the engine benchmark on real IndexedDB. */
import type { BenchSizes, RequestCounter } from './engine-core';
import { runEngineBench } from './engine-core';

interface ChromeMemory {
  usedJSHeapSize: number;
  totalJSHeapSize: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** Counts the requests the engine sends to IndexedDB by wrapping the request methods while counting. */
function requestCounter(): RequestCounter {
  const methods = ['get', 'getAll', 'getAllKeys', 'put', 'add', 'count', 'openCursor', 'openKeyCursor', 'delete'] as const;
  const protos = [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Record<string, (...a: unknown[]) => unknown>[];
  const originals = protos.map((p) => methods.map((m) => p[m]));
  let count = 0;
  return {
    start() {
      count = 0;
      for (const p of protos)
        for (const m of methods) {
          const original = p[m];
          if (!original) continue;
          p[m] = function (this: unknown, ...args: unknown[]) {
            count++;
            return original.apply(this, args);
          };
        }
    },
    stop() {
      protos.forEach((p, i) => methods.forEach((m, j) => (p[m] = originals[i]![j]!)));
      return count;
    },
  };
}

(globalThis as unknown as { runBench: (sizes: BenchSizes) => Promise<unknown> }).runBench = (sizes) =>
  runEngineBench(
    `bench-${Date.now()}`,
    sizes,
    () => {
      const m = (performance as unknown as { memory?: ChromeMemory }).memory;
      return m ? `JS heap ${mb(m.usedJSHeapSize)} of ${mb(m.totalJSHeapSize)}` : 'n/a';
    },
    requestCounter(),
  );

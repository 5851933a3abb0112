/**
 * Engine benchmark in Chromium on real IndexedDB: bundles bench/lib/chromium-entry.ts for the
 * browser, serves it on 127.0.0.1 (IndexedDB needs a real origin) and runs it with playwright-core.
 * Skips with a message when Chromium is missing. Scale down with BENCH_SCALE=0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.log(`Chromium not found at ${executablePath}; skipping the Chromium engine benchmark.`);
  process.exit(0);
}

const out = join(root, 'node_modules', '.cache', 'bench', 'chromium-entry.js');
await build({
  input: join(root, 'bench', 'lib', 'chromium-entry.ts'),
  platform: 'browser',
  resolve: { alias: { '@shared': join(root, 'src-shared') } },
  output: { file: out, format: 'iife', minify: true },
  logLevel: 'warn',
});

const script = readFileSync(out);
const server = createServer((req, res) => {
  if (req.url === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    return;
  }
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end('<!doctype html><title>bench</title><script src="/bench.js"></script>');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const scale = Number(process.env.BENCH_SCALE ?? '1');
const sizes = {
  leads: Math.round(100_000 * scale),
  enrollments: Math.round(200_000 * scale),
  smallNotDue: Math.round(10_000 * scale),
  dueForThroughput: Math.round(5_000 * scale),
};

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const { rows, summary } = await page.evaluate((s) => globalThis.runBench(s), sizes);
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log('\nEngine in Chromium (real IndexedDB)');
  for (const r of rows) console.log(`  ${r.measure.padEnd(width)}  ${r.value}`);
  console.log(`\nSUMMARY ${summary} [Chromium]`);
} finally {
  await browser.close();
  server.close();
}

// 50,000 leads from a CSV through the real app: built web host, Chromium, the Import & export
// screen, the engine's batched writes into IndexedDB. Target: at least 5,000 rows per second.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as httpServer } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const loadBefore = loadavg();
const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 50_000);
const TARGET = 5_000;
const entry = 'out/main/web.js';
if (!existsSync(entry)) {
  console.error('Build first (npm run build): out/main/web.js is missing');
  process.exit(1);
}

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => ok(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'ap-bench-'));
const host = spawn(process.execPath, [entry, '--port', String(port), '--test-mode', '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((ok, fail) => {
  let out = '';
  host.stdout.on('data', (b) => {
    out += b;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
    if (m) ok(m[1]);
  });
  host.once('exit', (code) => fail(new Error(`web host exited with ${code}`)));
});

const lines = ['First name,Last name,Email,Phone,Tags'];
for (let i = 0; i < ROWS; i++) lines.push(`Lead${i},Bench,lead${i}@example.com,+1415${String(5_000_000 + i).padStart(7, '0')},bench;csv`);
const csv = Buffer.from(lines.join('\r\n'));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  // First run: "I work alone" makes the user the primary manager.
  const alone = page.getByRole('form', { name: 'I work alone' });
  await alone.getByLabel('Your name').fill('Bench');
  await alone.getByLabel('Your email').fill('bench@example.com');
  await alone.getByRole('button', { name: 'Start working alone' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import & export' }).click();
  const card = page.getByRole('region', { name: 'Import leads from CSV' });

  const t0 = performance.now();
  await card.getByLabel('Choose a CSV file…').setInputFiles({ name: 'bench.csv', mimeType: 'text/csv', buffer: csv });
  const button = card.getByRole('button', { name: `Import ${ROWS.toLocaleString('en-US')} rows` });
  await button.waitFor({ timeout: 120_000 });
  const t1 = performance.now();
  await button.click();
  await card
    .getByRole('status')
    .getByText(/Import finished/)
    .waitFor({ timeout: 600_000 });
  const t2 = performance.now();
  const summary = await card.getByRole('status').textContent();

  const parseS = (t1 - t0) / 1000;
  const importS = (t2 - t1) / 1000;
  const rate = ROWS / importS;
  console.log(`load average before: ${loadBefore.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  console.log(`csv import: ${ROWS.toLocaleString('en-US')} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB)`);
  console.log(`  read + detect encoding + parse in the UI: ${parseS.toFixed(2)} s`);
  console.log(
    `  validate + dedupe + write (engine, batches of 1000): ${importS.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} rows/s (target ≥ ${TARGET.toLocaleString('en-US')}: ${rate < TARGET ? 'BELOW TARGET' : 'met'})`,
  );
  console.log(`  end to end: ${Math.round(ROWS / (parseS + importS)).toLocaleString('en-US')} rows/s — ${summary?.trim()}`);
  const ceiling = await bareCeiling(browser, ROWS);
  console.log(
    `  bare IndexedDB, the same lead row per row, same browser: ${ceiling.toLocaleString('en-US')} rows/s (import at ${Math.round((rate / ceiling) * 100)} % of it)`,
  );
  if (!summary?.includes(`${ROWS.toLocaleString('en-US')} added`)) throw new Error(`not every row was added: ${summary}`);
  if (rate < TARGET) process.exitCode = 1;
} finally {
  await browser.close();
  host.kill('SIGTERM');
  await new Promise((ok) => host.once('exit', ok));
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * The ceiling: the same write per row as the import (a lead row with the store's lead indexes; its
 * "created" line is made from the row, not stored), straight into IndexedDB in batches of 1000, no
 * app around it.
 */
async function bareCeiling(browser, rows) {
  const server = httpServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ceiling</title>'),
  );
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    return await page.evaluate(async (n) => {
      const db = await new Promise((ok, fail) => {
        const q = indexedDB.open('ceiling', 1);
        q.onupgradeneeded = () => {
          const leads = q.result.createObjectStore('leads', { keyPath: 'id' });
          for (const i of ['email', 'phone', 'createdAt']) leads.createIndex(i, i);
          leads.createIndex('searchWords', 'searchWords', { multiEntry: true });
          leads.createIndex('lenderCreated', ['assignees.lender', 'createdAt']);
        };
        q.onsuccess = () => ok(q.result);
        q.onerror = () => fail(q.error);
      });
      const t = performance.now();
      for (let start = 0; start < n; start += 1000) {
        await new Promise((ok, fail) => {
          const tx = db.transaction(['leads'], 'readwrite');
          for (let i = start; i < Math.min(n, start + 1000); i++) {
            const id = `lead${String(i).padStart(9, '0')}x`;
            const at = 1_700_000_000_000 + i;
            const phone = `+1415${5_000_000 + i}`;
            tx.objectStore('leads').add({
              id,
              firstName: `Lead${i}`,
              lastName: 'Bench',
              email: `lead${i}@example.com`,
              phone,
              timeZone: 'America/New_York',
              stage: 'New',
              contactType: 'Lead',
              source: '',
              tags: ['bench', 'csv'],
              assignees: { buyerAgent: 'u1' },
              eventDates: {},
              optOuts: { email: false, sms: false },
              createdAt: at,
              updatedAt: at,
              createdBy: 'u1',
              searchWords: [`lead${i}`, 'bench', phone.slice(1)],
              nameKey: `lead${i} bench`,
              assigneeIds: ['u1'],
              planIds: [],
              enrollmentStates: ['none'],
              activePlanCount: 0,
              nextDueAt: null,
              lastActivityAt: at,
              createdVia: 'csv',
            });
          }
          tx.oncomplete = ok;
          tx.onerror = () => fail(tx.error);
        });
      }
      return Math.round(n / ((performance.now() - t) / 1000));
    }, rows);
  } finally {
    await page.close();
    server.close();
  }
}

import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let hooks: Server;
let hooksUrl = '';
const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const DAY = 24 * 3600_000;

/** Setup goes through the same engine contract the UI uses (test mode only); the story is told through the UI. */
function call<T = unknown>(method: string, params: unknown): Promise<T> {
  return page.evaluate(
    ([m, p]) => (window as unknown as { actionPlansTest: { call(m: string, p: unknown): Promise<unknown> } }).actionPlansTest.call(m, p),
    [method, params] as const,
  ) as Promise<T>;
}

/** Both sizes, light and dark, when E2E_SCREENSHOTS names a folder. */
async function shots(name: string, inView?: Locator) {
  if (!SCREENSHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [w, h] of [
      [1280, 800],
      [900, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await inView?.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${SCREENSHOTS}/polish-${name}-${scheme}-${w}x${h}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
}

async function axe(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

beforeAll(async () => {
  // The webhook endpoint: a real HTTP server on loopback that records every request it gets.
  hooks = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'created', id: 'zap-42' }));
    });
  });
  await new Promise<void>((ok) => hooks.listen(0, '127.0.0.1', ok));
  hooksUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}`;
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await openApp(context, host.url);
  page.setDefaultTimeout(15_000);
  await workAlone(page, 'Jane Agent', 'jane@example.com');
  await call('leads.create', { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', timeZone: 'America/New_York' });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise<void>((ok) => (hooks ? hooks.close(() => ok()) : ok()));
});

describe('an agent tests a webhook step from the builder', () => {
  it('"Send test request" posts the step merged with the chosen lead and shows the answer; nothing is recorded as sent', async () => {
    await go('Action plans');
    await page.getByRole('button', { name: 'New plan', exact: true }).click();
    await page.getByLabel('Plan name').fill('Zapier hand-off');
    await page.getByRole('button', { name: '+ Add step…' }).click();
    await page
      .getByRole('group', { name: 'Step kinds' })
      .getByRole('button', { name: /^Webhook/ })
      .click();
    const step = page.getByRole('listitem', { name: 'Step 2', exact: true });
    await step.getByLabel('URL').fill(`${hooksUrl}/hooks/new-lead`);
    await step.getByRole('button', { name: '+ Add header' }).click();
    await step.getByLabel('Header 1', { exact: true }).fill('X-Agent');
    await step.getByLabel('Value 1', { exact: true }).first().fill('{{agent.name}}');
    await step.getByLabel('Choose fields (key and value)').check();
    await step.getByLabel('Test with lead').selectOption({ label: 'Ann Lee' });
    await step.getByRole('button', { name: 'Send test request' }).click();
    const answer = step.getByRole('status', { name: 'Test result' });
    await answer.getByText('HTTP 201').waitFor();
    await answer.getByText(/merged with Ann Lee/).waitFor();
    await answer.getByText('"id":"zap-42"', { exact: false }).waitFor();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hooks/new-lead' });
    expect(JSON.parse(received[0]!.body)).toEqual({ email: 'ann@example.com' });
    expect(received[0]!.headers['x-agent']).toBe('Jane Agent');
    expect(await axe()).toEqual([]);
    await shots('webhook-test', answer);

    // A test is not a send: no outbox message, no monitor entry.
    expect(await call<unknown[]>('outbox.deliveries', { channel: 'webhook' })).toEqual([]);
    expect(await call<unknown[]>('outbox.list', {})).toEqual([]);
  });

  it('an endpoint that refuses the connection is reported in words', async () => {
    const step = page.getByRole('listitem', { name: 'Step 2', exact: true });
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    await step.getByLabel('URL').fill(`http://127.0.0.1:${port}/gone`);
    await step.getByRole('button', { name: 'Send test request' }).click();
    const answer = step.getByRole('status', { name: 'Test result' });
    await answer.getByText('No connection').waitFor();
    await answer.getByText(/connection refused/).waitFor();
    // The plan was only a test bench: leave it unsaved.
    page.once('dialog', (d) => void d.accept());
    await go('Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
  });
});

describe('the Leads screen reads well', () => {
  it('a lead without a source is counted under "(none)" in the Source filter', async () => {
    await call('system.seedLeads', { count: 400, seed: 3 });
    await go('Leads');
    await page.getByText('401 leads').waitFor();
    const source = page.getByRole('group', { name: 'Source' });
    // Ann Lee was created without a source.
    await source.getByRole('button', { name: /^Show all/ }).click();
    const none = source.getByRole('checkbox', { name: /^\(none\)/ });
    await none.check();
    await page.getByText('1 matching').waitFor();
    await page.getByRole('link', { name: 'Ann Lee' }).waitFor();
    await shots('leads-facets');
    expect(await axe()).toEqual([]);
    await none.uncheck();
  });
});

describe('a plan with 5,000 leads', () => {
  it(
    '"Add to plan" enrolls all 5,000 in one go; the state table scrolls to the last of them and "select all" pauses every one',
    { timeout: 280_000 },
    async () => {
      await call('plans.create', {
        name: 'Big nurture',
        scope: { kind: 'account' },
        status: 'ready',
        steps: [{ id: 'n1', kind: 'task', title: 'Call {{lead.firstName}}', timing: { kind: 'after', amount: 60, unit: 'days' } }],
      });
      await call('system.seedLeads', { count: 4599, seed: 11 });
      await go('Leads');
      await page.getByText('5,000 leads').waitFor();
      await page.getByLabel('Select the leads on screen').check();
      await page.getByRole('button', { name: 'Select all 5,000 matching' }).click();
      const bulk = page.getByRole('region', { name: 'Bulk actions' });
      await bulk.getByLabel('Bulk action').selectOption('enroll');
      await bulk.getByLabel('Plan').selectOption({ label: 'Big nurture' });
      await bulk.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('5000 leads added to the plan.').waitFor({ timeout: 60_000 });

      await go('Action plans');
      await page.getByRole('button', { name: '5000 active leads in Big nurture' }).click();
      const table = page.getByRole('table', { name: 'active leads' });
      await table.getByRole('row').nth(2).waitFor();
      // Scroll to the end: the last of the 5,000 rows is there (not only the first 1,000).
      await page.locator('.plan-leads-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await table.locator('tr[aria-rowindex="5001"]').getByRole('link').waitFor();
      await shots('state-table-scrolled');
      expect(await axe()).toEqual([]);

      // "Select all" takes every lead in the state, also the rows never scrolled to.
      await page.getByLabel('Select all 5,000 leads').check();
      const toolbar = page.getByRole('toolbar', { name: 'Bulk actions' });
      await toolbar.getByText('5000 leads selected').waitFor();
      await toolbar.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('progressbar').first().waitFor();
      await page.getByText('Pause: 5000 of 5000 leads done.').waitFor({ timeout: 150_000 });
      await page.getByRole('button', { name: /^paused\s*5000$/i }).waitFor();
    },
  );
});

describe('importing leads by dropping a CSV file', () => {
  it('a CSV dropped on the import card reaches the column mapping and preview', async () => {
    await go('Import & export');
    const card = page.getByRole('region', { name: 'Import leads from CSV' });
    const csv =
      'First name,Last name,Email,Phone\nRita,Moreno,rita.moreno@open-house.example,+14155559876\nSam,Ng,sam.ng@open-house.example,\n';
    const dropped = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'open-house.csv', { type: 'text/csv' }));
      return dt;
    }, csv);
    const zone = card.locator('.dropzone');
    await zone.dispatchEvent('dragover', { dataTransfer: dropped });
    await zone.dispatchEvent('drop', { dataTransfer: dropped });
    await card.getByRole('table', { name: 'Column mapping' }).waitFor();
    await expect.poll(() => card.getByLabel('Field for column Email').inputValue()).toBe('email');
    await card.getByRole('table', { name: 'Preview of the first rows' }).getByText('rita.moreno@open-house.example').waitFor();
  });

  it('an imported lead’s history starts with the line that says it came from the CSV import, and who imported it', async () => {
    const card = page.getByRole('region', { name: 'Import leads from CSV' });
    await card.getByRole('button', { name: 'Import 2 rows' }).click();
    await card
      .getByRole('status')
      .getByText(/Import finished/)
      .waitFor();
    expect(await card.getByRole('status').textContent()).toContain('2 added');
    await go('Leads');
    await page.getByLabel('Search leads').fill('Rita');
    await page.getByRole('link', { name: 'Rita Moreno', exact: true }).click();
    await page.getByRole('heading', { name: 'Rita Moreno' }).waitFor();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('Lead Rita Moreno created by CSV import').waitFor();
    await expect.poll(() => history.getByText(/Jane Agent/).count()).toBeGreaterThan(0);
    await shots('imported-lead', history);
  });
});

describe('Today follows the engine’s clock', () => {
  it('a task due tomorrow shows as overdue once the clock has moved two days on', async () => {
    const ann = (await call<{ rows: { id: string; firstName: string }[] }>('leads.list', { search: 'ann', limit: 5 })).rows[0]!;
    const { now } = await call<{ now: number }>('system.now', {});
    await call('tasks.create', { leadId: ann.id, title: 'Send Ann the HOA documents', dueAt: now + DAY });
    await go('Today');
    const overdue = page.getByRole('list', { name: 'Overdue tasks' });
    await page.getByRole('heading', { name: 'Today', exact: true, level: 1 }).waitFor();
    expect(await page.getByText('Send Ann the HOA documents').count()).toBe(0);
    await host.advanceClock(2 * DAY);
    await overdue.getByText('Send Ann the HOA documents').waitFor();
    await shots('today');
    expect(await axe()).toEqual([]);
  });
});

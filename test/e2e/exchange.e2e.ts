import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone, fillEmailAccount } from './harness';

const FIXTURES = join(__dirname, '../fixtures/exchange');

let mailbox: Mailbox;
let host: WebHost;
let browser: Browser;
let page: Page;

async function shot(name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

async function downloadOf(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

beforeAll(async () => {
  mailbox = new Mailbox();
  await mailbox.start();
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await openApp(context, host.url);
  await workAlone(page, 'Jane Agent', 'jane@example.com');
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await mailbox?.stop();
});

describe('a manager turns a personal plan into an account plan through a plan file', () => {
  it('export the personal plan, import it at account level (renaming on a clash), and it emails an enrolled lead', async () => {
    await go('Settings');
    await fillEmailAccount(page, mailbox.port);
    await page.getByRole('button', { name: 'Save email account' }).click();
    await page.getByText('Email account saved').waitFor();

    await go('Action plans');
    await page.getByRole('button', { name: 'New plan' }).click();
    await page.getByLabel('Plan name').fill('Open house');
    const step1 = page.getByRole('listitem', { name: 'Step 1' });
    await step1.getByLabel('Subject').fill('Thanks for visiting, {{lead.firstName}}');
    await step1.getByLabel('Message').fill('Hi {{lead.firstName}}, <b>thanks</b> for coming.');
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await page.getByText('Plan “Open house” saved — Ready to enroll leads').waitFor();

    await go('Import & export');
    await page
      .getByRole('list', { name: 'Plans to export' })
      .getByLabel(/Open house/)
      .check();
    const file = await downloadOf(() => page.getByRole('button', { name: 'Save 1 plan to a file' }).click());
    expect(file.name).toMatch(/^open-house-\d{4}-\d{2}-\d{2}\.plan\.json$/);
    expect(JSON.parse(file.text)).toMatchObject({ format: 'action-plans/plan-file', plans: [{ name: 'Open house', scope: 'personal' }] });

    const planFile = { name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) };
    const importCard = page.getByRole('region', { name: 'Import plans' });
    await importCard.getByLabel('Choose a plan file…').setInputFiles(planFile);
    await importCard.getByLabel('Account-level plan').check();
    await expect.poll(() => importCard.getByText('New', { exact: true }).count()).toBe(1);
    await importCard.getByLabel('Lock the imported plans (others can view, not edit)').check();
    await shot('exchange-import-preview');
    await importCard.getByRole('button', { name: 'Import 1 plan' }).click();
    await importCard.getByRole('status').getByText('Imported “Open house”.').waitFor();

    // A second import at account level meets the first: the user picks a new name.
    await importCard.getByLabel('Choose a plan file…').setInputFiles(planFile);
    await importCard.getByLabel('Account-level plan').check();
    const newName = importCard.getByLabel('New name for “Open house”');
    await newName.waitFor();
    await newName.fill('Open house (team)');
    await importCard.getByRole('button', { name: 'Import 1 plan' }).click();
    await importCard.getByRole('status').getByText('Imported “Open house (team)”.').waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Plans to export' }).getByText('Account · 1 step').count()).toBe(2);

    await go('Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('First name').fill('Ann');
    await page.getByLabel('Last name').fill('Lee');
    await page.getByLabel('Email').fill('ann@example.com');
    await page.getByLabel('Time zone').selectOption('America/Chicago');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { name: 'Ann Lee' }).waitFor();
    await page.getByLabel('Plan to enroll in').selectOption({ label: 'Open house (team)' });
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    const [mail] = await mailbox.waitFor(1);
    expect(mail!.subject).toBe('Thanks for visiting, Ann');
  });

  it('the review document escapes plan text and lists every step with its timing in words', async () => {
    await go('Import & export');
    const card = page.getByRole('region', { name: 'Export plans' });
    await card.getByLabel(/^Open house \(team\)/).check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), card.getByRole('button', { name: 'Open review document' }).click()]);
    await popup.waitForLoadState();
    await popup.getByRole('heading', { name: 'Plan review: Open house (team)' }).waitFor();
    expect(await popup.getByText('Immediately when the lead is enrolled').count()).toBe(1);
    // The <b> typed into the message is shown as text, not bold markup.
    expect(await popup.getByText('<b>thanks</b>', { exact: false }).count()).toBe(1);
    expect(await popup.locator('b').count()).toBe(0);
    if (SCREENSHOTS) await popup.screenshot({ path: `${SCREENSHOTS}/exchange-review.png` });
    await popup.close();
  });
});

describe('a CSV import with a bad row', () => {
  it('imports the good rows, shows each problem with its row and column, and offers the report as a CSV', async () => {
    await go('Import & export');
    const card = page.getByRole('region', { name: 'Import leads from CSV' });
    await card.getByLabel('Choose a CSV file…').setInputFiles(join(FIXTURES, 'bad-rows.csv'));
    await expect.poll(() => card.getByRole('combobox', { name: 'Field for column Email' }).inputValue()).toBe('email');
    await shot('exchange-csv-mapping');
    await card.getByRole('button', { name: 'Import 4 rows' }).click();
    // Ann was added by hand above: her row merges into her lead instead of making a second one.
    await card.getByRole('status').getByText('Import finished. 0 added, 1 merged, 3 rows with problems.').waitFor();
    const problems = card.getByRole('table', { name: 'Rows with problems' });
    await problems.getByRole('row', { name: '4 Email Email address is not valid' }).waitFor();
    await shot('exchange-csv-result');
    const report = await downloadOf(() => card.getByRole('button', { name: 'Download error report' }).click());
    expect(report.text.split('\r\n')).toEqual([
      'Row,Column,Problem',
      '3,First name,First name is required',
      '4,Email,Email address is not valid',
      '5,Phone,"Phone must be in E.164 form, e.g. +14155550123"',
    ]);
    await go('Leads');
    await expect.poll(() => page.getByText('1 lead', { exact: true }).count()).toBe(1);
    const exported = await downloadOf(() => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(exported.text.replace(/^\uFEFF/, '').split('\r\n')[1]).toMatch(/^Ann,Lee,ann@example.com,'\+14155550123,/);
  });
});

describe('the Import & export screen', () => {
  it('has no serious accessibility problems, and its file pickers are reached with the keyboard', async () => {
    await go('Import & export');
    const results = await new AxeBuilder({ page }).include('main').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    const picker = page.getByLabel('Choose a plan file…');
    await picker.focus();
    expect(await picker.evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

describe('backup and restore into a fresh profile', () => {
  it('a damaged backup is refused in words; the real one brings every lead and plan back in an empty profile', async () => {
    await go('Import & export');
    const backup = await downloadOf(() => page.getByRole('button', { name: 'Download a backup' }).click());
    expect(backup.name).toMatch(/^action-plans-backup-\d{4}-\d{2}-\d{2}\.json$/);

    // A fresh browser profile: its own, empty IndexedDB.
    const fresh = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const other = await openApp(fresh, host.url);
    await workAlone(other, 'Someone Else', 'else@example.com');
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import & export' }).click();
    const card = other.getByRole('region', { name: 'Backup and restore' });
    const restoreFrom = async (text: string) => {
      await card
        .getByLabel('Restore from a backup file…')
        .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await other.getByRole('button', { name: 'Replace all data' }).click();
    };

    await restoreFrom(backup.text.slice(0, backup.text.length - 100));
    await card
      .getByRole('alert')
      .getByText('The backup file is incomplete or damaged (it may have been cut short). Your current data was not changed.')
      .waitFor();

    await restoreFrom(backup.text);
    await other.getByText(/^Restored \d+ records/).waitFor();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Leads' }).click();
    await other.getByRole('link', { name: 'Ann Lee' }).waitFor();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Action plans' }).click();
    await other.getByRole('link', { name: 'Open house (team)' }).waitFor();
    await fresh.close();
  });
});

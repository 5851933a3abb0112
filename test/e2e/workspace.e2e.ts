import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

let mailbox: Mailbox;
let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Setup goes through the same engine contract the UI uses (test mode only); the story is told through the UI. */
function call(method: string, params: unknown): Promise<unknown> {
  return page.evaluate(
    ([m, p]) => (window as unknown as { actionPlansTest: { call(m: string, p: unknown): Promise<unknown> } }).actionPlansTest.call(m, p),
    [method, params] as const,
  );
}

async function shots(name: string) {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-1280.png` });
  await page.setViewportSize({ width: 900, height: 700 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-900.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

const subtitle = () => page.locator('.page-header .subtitle').textContent();
const names = () => page.locator('.grid-row td:nth-child(2) a').allTextContents();

async function axe() {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.error(v.id, v.help, v.nodes.map((n) => n.target.join(' ')).slice(0, 5));
  return bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

beforeAll(async () => {
  mailbox = new Mailbox();
  await mailbox.start();
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await openApp(context, host.url);
  await workAlone(page, 'Jane Agent', 'jane@example.com');
  await call('system.seedLeads', { count: 400, seed: 3 });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await mailbox?.stop();
});

describe('the lead workspace: a big table that filters, sorts, searches and acts in bulk', () => {
  it('shows every lead, narrows to a stage with the count the filter promised, and sorts by name', async () => {
    await go('Leads');
    await expect.poll(subtitle).toBe('400 leads');
    const newStage = page.getByRole('group', { name: 'Stage', exact: true }).getByRole('checkbox', { name: /^New/ });
    const promised = Number(
      (
        await page
          .getByRole('group', { name: 'Stage', exact: true })
          .locator('label', { hasText: /^New/ })
          .locator('.facet-count')
          .textContent()
      )?.replace(/\D/g, ''),
    );
    await newStage.check();
    await expect.poll(subtitle).toBe(`${promised} matching`);
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(async () => {
        const shown = (await names()).map((n) => n.toLowerCase());
        return shown.length > 5 && shown.join('|') === [...shown].sort().join('|');
      })
      .toBe(true);
    await shots('leads-table');
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(subtitle).toBe('400 leads');
  });

  it('search finds leads by part of the name and by phone digits', async () => {
    await page.getByLabel('Search leads').fill('ann');
    await expect.poll(async () => (await names()).length > 0 && (await names()).every((n) => /\bann/i.test(n))).toBe(true);
    await page.getByLabel('Search leads').fill('zzzz');
    await page.getByText('No lead matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await expect.poll(subtitle).toBe('400 leads');
  });

  it('shift-click selects a range; a tag added in bulk shows on those leads and in the tag facet', async () => {
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    const rows = page.locator('.grid-row');
    await rows.nth(0).locator('input[type=checkbox]').click();
    await rows
      .nth(3)
      .locator('input[type=checkbox]')
      .click({ modifiers: ['Shift'] });
    await page.getByText('4 leads selected').waitFor();
    await page.getByRole('combobox', { name: 'Bulk action', exact: true }).selectOption('addTag');
    await page.getByRole('region', { name: 'Bulk actions' }).getByLabel('Tag').fill('open-house-june');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('4 leads updated').waitFor();
    const tags = page.getByRole('group', { name: 'Tag', exact: true });
    await tags.getByRole('button', { name: /Show all/ }).click();
    await expect.poll(() => tags.locator('label', { hasText: 'open-house-june' }).locator('.facet-count').textContent()).toBe('4');
  });

  it('deleting every matching lead can be undone', async () => {
    await page
      .getByRole('group', { name: 'Tag', exact: true })
      .getByRole('checkbox', { name: /open-house-june/ })
      .check();
    await expect.poll(subtitle).toBe('4 matching');
    await page.getByRole('checkbox', { name: 'Select the leads on screen' }).check();
    await page.getByRole('combobox', { name: 'Bulk action', exact: true }).selectOption('delete');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('4 leads deleted.').waitFor();
    await expect.poll(subtitle).toBe('0 matching');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(subtitle).toBe('4 matching');
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(subtitle).toBe('400 leads');
  });

  it('columns can be hidden and the layout is kept after a reload', async () => {
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Show Phone column' }).uncheck();
    await page.getByText('Columns', { exact: true }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Phone' }).count()).toBe(0);
    await page.waitForTimeout(600);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.locator('.grid-row').first().waitFor();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Phone' }).count()).toBe(0);
  });

  it('the leads screen has no serious or critical accessibility problems', async () => {
    expect(await axe()).toEqual([]);
  });
});

describe('lead detail, today and the outbox monitor', () => {
  it('a new lead’s phone is stored in E.164 and the time zone follows the area code', async () => {
    await go('Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Reyes');
    await page.getByLabel('Email').fill('dana@example.com');
    await page.getByLabel('Phone').fill('(312) 555-0147');
    await page.getByLabel('Phone').blur();
    await expect.poll(() => page.getByLabel('Time zone').inputValue()).toBe('America/Chicago');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { name: 'Dana Reyes' }).waitFor();
    await page.getByText('+13125550147').waitFor();
  });

  it('a note and an overdue task are added; the task shows on Today and can be completed', async () => {
    await page.getByLabel('Note', { exact: true }).fill('Wants a 3-bedroom near the lake');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('list', { name: 'History' }).getByText('Wants a 3-bedroom near the lake').waitFor();
    await page.getByLabel('Task', { exact: true }).fill('Call Dana about financing');
    await page.getByLabel('Task kind').selectOption('call');
    await page.getByLabel('Due').fill('2020-01-01T09:00');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('list', { name: 'Open tasks' }).getByText('Call Dana about financing').waitFor();
    await page.getByLabel('Show in history').selectOption('notes');
    await expect.poll(() => page.getByRole('list', { name: 'History' }).getByText('Profile updated').count()).toBe(0);
    await shots('lead-detail');
    await go('Today');
    const overdue = page.getByRole('list', { name: 'Overdue tasks' });
    await overdue.getByText('Call Dana about financing').waitFor();
    await shots('today');
    expect(await axe()).toEqual([]);
    await overdue.getByRole('button', { name: 'Complete' }).click();
    await expect.poll(() => overdue.getByText('Call Dana about financing').count()).toBe(0);
  });

  it('opting out of emails is recorded in the lead’s history', async () => {
    await go('Leads');
    await page.getByLabel('Search leads').fill('dana');
    await page.getByRole('link', { name: 'Dana Reyes' }).click();
    await page.getByRole('checkbox', { name: 'Opted out of emails' }).check();
    await page.getByRole('list', { name: 'History' }).getByText('Email: opted out').waitFor();
  });

  it('a refused email is failed in the monitor with the server’s answer, and Retry now sends it', async () => {
    const session = (await call('session.get', {})) as { currentUser: { id: string } };
    await call('settings.emailAccount.save', {
      host: '127.0.0.1',
      port: mailbox.port,
      security: 'none',
      user: '',
      fromName: 'Jane Agent',
      fromEmail: 'jane@example.com',
    });
    const plan = (await call('plans.create', {
      name: 'Welcome',
      scope: { kind: 'personal', ownerUserId: session.currentUser.id },
      status: 'ready',
      steps: [{ id: 's1', kind: 'email', subject: 'Welcome {{lead.firstName}}', body: 'Hi', timing: { kind: 'immediate' } }],
    })) as { id: string };
    const lead = (await call('leads.create', {
      firstName: 'Eve',
      lastName: 'Stone',
      email: 'eve@example.com',
      timeZone: 'America/New_York',
    })) as { id: string };
    mailbox.rejectRecipients.add('eve@example.com');
    await call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await go('Outbox');
    const row = page.getByRole('row', { name: /Welcome Eve/ });
    await row.getByText('failed').waitFor({ timeout: 20_000 });
    await expect.poll(() => row.textContent()).toContain('User unknown');
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => page.getByRole('row', { name: /Welcome Eve/ }).count()).toBe(1);
    await shots('outbox');
    expect(await axe()).toEqual([]);
    mailbox.rejectRecipients.delete('eve@example.com');
    await row.getByRole('button', { name: /Retry now/ }).click();
    await mailbox.waitFor(1);
    await page.getByLabel('Status').selectOption('sent');
    await page
      .getByRole('row', { name: /Welcome Eve/ })
      .getByText('sent', { exact: true })
      .waitFor();
    await go('Today');
    await page.getByRole('list', { name: 'Notifications' }).getByText('Eve Stone').first().waitFor();
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillEmailAccount, launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

const DAY = 24 * 3_600_000;

let mailbox: Mailbox;
let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

async function setUpEmail(port: number) {
  await go('Settings');
  await fillEmailAccount(page, port);
  await page.getByRole('button', { name: 'Save email account' }).click();
  await page.getByText('Email account saved').waitFor();
}

async function createLead(first: string, last: string, email: string, zone = 'America/Chicago') {
  await go('Leads');
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Time zone').selectOption(zone);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await page.getByRole('heading', { name: `${first} ${last}` }).waitFor();
}

async function createPlan(name: string) {
  await go('Action plans');
  await page.getByRole('button', { name: 'New plan' }).click();
  await page.getByLabel('Plan name').fill(name);
  const step1 = page.getByRole('listitem', { name: 'Step 1' });
  await step1.getByLabel('Subject').fill('Welcome, {{lead.firstName}}!');
  await step1.getByLabel('Message').fill('Hi {{lead.firstName}},\n\nThanks for reaching out. I will send you new listings.');
  await page.getByRole('button', { name: '+ Add email step' }).click();
  const step2 = page.getByRole('listitem', { name: 'Step 2' });
  await step2.getByLabel('Subject').fill('Any questions, {{lead.firstName}}?');
  await step2.getByLabel('Message').fill('Just checking in.');
  await shot('plan-builder');
  await page.getByRole('button', { name: 'Save as Ready' }).click();
  await page.getByText(`Plan “${name}” saved — Ready to enroll leads`).last().waitFor();
}

async function enroll(planName: string) {
  await page.getByLabel('Plan to enroll in').selectOption({ label: planName });
  await page.getByRole('button', { name: 'Enroll', exact: true }).click();
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
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await mailbox?.stop();
});

describe('a user creates a lead, builds a plan, enrolls the lead, and the email goes out', () => {
  it('the scheduler sends step one over SMTP with the merged message, and history shows it sent', async () => {
    await setUpEmail(mailbox.port);
    await shot('settings');
    await createPlan('New buyer — 2 emails');
    await createLead('Ann', 'Lee', 'ann@example.com');
    await enroll('New buyer — 2 emails');

    const [mail] = await mailbox.waitFor(1);
    expect(mail!.to && 'value' in mail!.to ? mail!.to.value[0]?.address : '').toBe('ann@example.com');
    expect(mail!.subject).toBe('Welcome, Ann!');
    expect(mail!.text).toContain('Hi Ann,');
    expect(mail!.from?.value[0]).toMatchObject({ name: 'Jane Agent', address: 'jane@example.com' });

    const history = page.getByRole('list', { name: 'History' });
    await expect.poll(() => history.getByText('Sent email "Welcome, Ann!" to ann@example.com').count()).toBe(1);
    const upcoming = page.getByRole('list', { name: 'Upcoming steps' });
    await expect.poll(() => upcoming.getByText('Email', { exact: true }).count()).toBe(1);
    // Due in the lead's zone (Chicago): shown with the zone's abbreviation.
    await expect.poll(async () => (await upcoming.locator('time').first().textContent()) ?? '').toMatch(/C[SD]T/);
    await shot('lead');
  });

  it('reloading the page keeps every lead, plan and history line', async () => {
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('link', { name: 'Ann Lee' }).click();
    await page.getByRole('list', { name: 'History' }).getByText('Sent email "Welcome, Ann!" to ann@example.com').waitFor();
    await go('Action plans');
    await page.getByRole('link', { name: 'New buyer — 2 emails' }).waitFor();
    await shot('plans');
  });

  it('step two is sent when the engine clock reaches its due time two days later', async () => {
    expect(mailbox.messages).toHaveLength(1);
    await host.advanceClock(2 * DAY + 60_000);
    const mails = await mailbox.waitFor(2);
    expect(mails[1]!.subject).toBe('Any questions, Ann?');
  });

  it('with two tabs open, a new enrollment sends one email, not two', async () => {
    const second = await openApp(context, host.url);
    await createLead('Bo', 'Diaz', 'bo@example.com');
    await enroll('New buyer — 2 emails');
    await mailbox.waitFor(3);
    // Give the other tab's engine every chance to send a duplicate.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(mailbox.messages.filter((m) => m.subject === 'Welcome, Bo!')).toHaveLength(1);
    await second.close();
  });

  it('a refused recipient is shown in the lead’s history in words', async () => {
    mailbox.rejectRecipients.add('cy@example.com');
    await createLead('Cy', 'Park', 'cy@example.com');
    await enroll('New buyer — 2 emails');
    const history = page.getByRole('list', { name: 'History' });
    await history
      .getByText(/failed: .*cy@example\.com.*refused|failed: .*refused/i)
      .first()
      .waitFor({ timeout: 20_000 });
  });

  it('an unreachable mail server is reported in words by "Send test email"', async () => {
    await go('Settings');
    await page.getByLabel('Port', { exact: true }).fill('1');
    const saved = await page.getByText('Email account saved').count();
    await page.getByRole('button', { name: 'Save email account' }).click();
    await expect.poll(() => page.getByText('Email account saved').count()).toBeGreaterThan(saved);
    await page.getByLabel('Send a test email to').fill('me@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await page
      .getByRole('status')
      .getByText(/Could not reach the mail server 127\.0\.0\.1:1/)
      .waitFor();
  });
});

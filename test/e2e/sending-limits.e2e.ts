import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone, fillEmailAccount } from './harness';

let mailbox: Mailbox;
let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string) {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.setViewportSize({ width: 900, height: 700 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-900.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

async function leadEnrolledIn(plan: string, first: string) {
  await go('Leads');
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill('Buyer');
  await page.getByLabel('Email').fill(`${first.toLowerCase()}@example.com`);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await page.getByRole('heading', { name: `${first} Buyer` }).waitFor();
  await page.getByLabel('Plan to enroll in').selectOption({ label: plan });
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

describe('an agent keeps the mailbox inside its provider’s sending limits', () => {
  it('sets custom limits in the email settings; a limit of 0 is refused in words', async () => {
    await go('Settings');
    await fillEmailAccount(page, mailbox.port);
    // An unknown server: custom limits, conservative, visible before saving.
    await expect.poll(() => page.getByRole('group', { name: 'Sending limits' }).getByLabel('Provider').inputValue()).toBe('custom');
    expect(await page.getByLabel('Messages per 24 hours').inputValue()).toBe('500');

    await page.getByLabel('Messages per minute').fill('0');
    await page.getByRole('button', { name: 'Save email account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Messages per minute must be at least 1' }).first().waitFor();
    await expect.poll(() => page.getByLabel('Messages per minute').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Messages per minute').fill('2');
    await page.getByLabel('Messages per hour').fill('');
    await page.getByLabel('Messages per 24 hours').fill('100');
    await page.getByRole('button', { name: 'Save email account' }).click();
    await page.getByText('Email account saved').waitFor();
    await page.getByRole('group', { name: 'Sending limits' }).scrollIntoViewIfNeeded();
    await shot('settings-sending-limits');
  });

  it('sets the SMS gateway pace: one text a second by default, 0 refused', async () => {
    const pace = page.getByRole('form', { name: 'Text message pace' });
    expect(await pace.getByLabel('Texts per second').inputValue()).toBe('1');
    await pace.getByLabel('Texts per second').fill('0');
    await pace.getByRole('button', { name: 'Save text pace' }).click();
    await expect.poll(() => pace.getByLabel('Texts per second').getAttribute('aria-invalid')).toBe('true');
    await pace.getByLabel('Texts per second').fill('2');
    await pace.getByLabel('Texts per 24 hours').fill('1000');
    await pace.getByRole('button', { name: 'Save text pace' }).click();
    await page.getByText('Text message pace saved').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('settings-top');
  });

  it('three new leads at once: two emails go out this minute, the third waits and says when it will go', async () => {
    await go('Action plans');
    await page.getByRole('button', { name: 'New plan' }).click();
    await page.getByLabel('Plan name').fill('Welcome');
    const step1 = page.getByRole('listitem', { name: 'Step 1' });
    await step1.getByLabel('Subject').fill('Welcome, {{lead.firstName}}!');
    await step1.getByLabel('Message').fill('Hi {{lead.firstName}}, thanks for reaching out.');
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await page.getByText('Plan “Welcome” saved — Ready to enroll leads').waitFor();

    await leadEnrolledIn('Welcome', 'Ann');
    await leadEnrolledIn('Welcome', 'Bo');
    await mailbox.waitFor(2);
    await leadEnrolledIn('Welcome', 'Cy');
    await page
      .getByRole('list', { name: 'Waiting to send' })
      .getByText(/queued, expected \d\d:\d\d/)
      .waitFor();
    await shot('lead-queued-expected');

    await go('Outbox');
    const queue = page.getByRole('article', { name: 'Queue for jane@example.com' });
    await queue.getByText(/^1 queued — all sent by \d\d:\d\d$/).waitFor();
    await queue.getByText('2 / 2').waitFor();
    await queue.getByText(/The per minute limit is reached/).waitFor();
    await shot('outbox-queue-summary');
    expect(mailbox.messages).toHaveLength(2);
  });

  it('when the minute has passed, the waiting email goes out, exactly once', async () => {
    await host.advanceClock(61_000);
    const mails = await mailbox.waitFor(3);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Welcome, Ann!', 'Welcome, Bo!', 'Welcome, Cy!']);
    const queue = page.getByRole('article', { name: 'Queue for jane@example.com' });
    await queue.getByText('Nothing queued').waitFor();
  });

  it('a provider that says "slow down" pauses the mailbox once, says so with its words, and nothing is lost', async () => {
    mailbox.refuseMail = { code: 421, message: '4.7.0 Too many messages from this account, slow down' };
    await leadEnrolledIn('Welcome', 'Di');
    await go('Outbox');
    const queue = page.getByRole('article', { name: 'Queue for jane@example.com' });
    await queue.getByText('Paused by the provider').waitFor();
    await queue.getByText(/4\.7\.0 Too many messages from this account, slow down/).waitFor();
    await shot('outbox-paused-by-provider');

    mailbox.refuseMail = null;
    await host.advanceClock(2 * 61_000);
    const mails = await mailbox.waitFor(4);
    expect(mails.filter((m) => m.subject === 'Welcome, Di!')).toHaveLength(1);
    await queue.getByText('Nothing queued').waitFor();
  });
});

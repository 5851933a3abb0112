import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillEmailAccount, launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let mailbox: Mailbox;
let host: WebHost;
let browser: Browser;
let page: Page;

async function shot(name: string, p: Page = page) {
  if (SCREENSHOTS) await p.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

/** Damages the stored plan as a faulty disk or an old version might: step 3's time of day becomes unreadable. */
async function damageThirdStep(planName: string): Promise<void> {
  await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('action-plans');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(new Error(req.error?.message ?? 'IndexedDB did not open'));
    });
    const store = db.transaction('plans', 'readwrite').objectStore('plans');
    const plans = await new Promise<{ name: string; steps: { timing: unknown }[] }[]>((ok) => {
      const req = store.getAll();
      req.onsuccess = () => ok(req.result as never);
    });
    const plan = plans.find((p) => p.name === name)!;
    plan.steps[2]!.timing = { kind: 'onDay', day: 1, time: null };
    await new Promise<void>((ok) => {
      store.put(plan).onsuccess = () => ok();
    });
    db.close();
  }, planName);
}

beforeAll(async () => {
  mailbox = new Mailbox();
  await mailbox.start();
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await openApp(context, host.url);
  await workAlone(page, 'Jane Agent', 'jane@example.com');
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await mailbox?.stop();
});

describe('a step the engine cannot run is set aside, and the user is told in words', () => {
  it('a damaged plan pauses the lead’s plan as failed, with the reason on the lead and on Today', async () => {
    await go('Settings');
    await fillEmailAccount(page, mailbox.port);
    await page.getByRole('button', { name: 'Save email account' }).click();
    await page.getByText('Email account saved').waitFor();

    await go('Action plans');
    await page.getByRole('button', { name: 'New plan' }).click();
    await page.getByLabel('Plan name').fill('Three emails');
    await page.getByRole('listitem', { name: 'Step 1' }).getByLabel('Subject').fill('One');
    await page.getByRole('listitem', { name: 'Step 1' }).getByLabel('Message').fill('First.');
    for (const [n, subject] of [
      [2, 'Two'],
      [3, 'Three'],
    ] as const) {
      await page.getByRole('button', { name: '+ Add email step' }).click();
      await page
        .getByRole('listitem', { name: `Step ${n}` })
        .getByLabel('Subject')
        .fill(subject);
      await page
        .getByRole('listitem', { name: `Step ${n}` })
        .getByLabel('Message')
        .fill(`${subject}.`);
    }
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await page.getByText('Plan “Three emails” saved — Ready to enroll leads').last().waitFor();

    await go('Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('First name').fill('Dee');
    await page.getByLabel('Last name').fill('Fox');
    await page.getByLabel('Email', { exact: true }).fill('dee@example.com');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { name: 'Dee Fox' }).waitFor();
    await page.getByLabel('Plan to enroll in').selectOption({ label: 'Three emails' });
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await mailbox.waitFor(1);

    await damageThirdStep('Three emails');
    // Step two is due two days later; it fails when it moves on to the damaged step, then is tried
    // again after 1, 4, 16 and 64 minutes (one try per wake-up here).
    await host.advanceClock(2 * DAY + 60_000);
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText(/could not run: the stored plan cannot be read \(step 3, timing/).waitFor({ timeout: 20_000 });
    for (let i = 0; i < 4; i++) {
      await host.advanceClock(2 * HOUR);
      await new Promise((r) => setTimeout(r, 1_500));
    }
    await history.getByText(/could not run after 5 tries and is paused/).waitFor({ timeout: 20_000 });
    await page.getByText('failed', { exact: true }).waitFor();
    await expect.poll(() => page.getByText(/Paused after 5 failed tries: the stored plan cannot be read/).count()).toBe(1);
    // Nothing of step two went out: every try was rolled back.
    expect(mailbox.messages.map((m) => m.subject)).toEqual(['One']);
    await shot('fault-lead');

    await go('Today');
    await page.getByText(/"Step 2" of "Three emails" could not run after 5 tries/).waitFor();
    await shot('fault-today');
    await page.setViewportSize({ width: 800, height: 600 });
    await shot('fault-today-small');
  });
});

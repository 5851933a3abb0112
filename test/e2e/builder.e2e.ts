import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const PLAN = 'Buyer follow-up — 3 touches';

async function shot(name: string) {
  if (!SCREENSHOTS) return;
  for (const [w, h] of [
    [1280, 800],
    [900, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SCREENSHOTS}/builder-${name}-${w}x${h}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
}

async function createLead(first: string, last: string) {
  await go('Leads');
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('Email').fill(`${first.toLowerCase()}@example.com`);
  await page.getByLabel('Time zone').selectOption('America/New_York');
  await page.getByRole('button', { name: 'Create lead' }).click();
  await page.getByRole('heading', { name: `${first} ${last}` }).waitFor();
}

/** No serious or critical accessibility problems on the screen as it is now. */
async function expectAccessible() {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const step = (n: number) => page.getByRole('listitem', { name: `Step ${n}`, exact: true });

async function addStep(kind: string) {
  await page.getByRole('button', { name: '+ Add step…' }).click();
  await page
    .getByRole('group', { name: 'Step kinds' })
    .getByRole('button', { name: new RegExp(`^${kind}`) })
    .click();
}

beforeAll(async () => {
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await openApp(context, host.url);
  page.setDefaultTimeout(10_000);
  await workAlone(page, 'Jane Agent', 'jane@example.com');
  for (const [f, l] of [
    ['Ann', 'Lee'],
    ['Bo', 'Diaz'],
    ['Cy', 'Park'],
  ] as const)
    await createLead(f, l);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('an agent builds a plan, previews it, saves it, and manages its leads', () => {
  it('builds a plan with several step kinds and reorders a step by keyboard', async () => {
    await go('Action plans');
    await page.getByText('No action plans yet').waitFor();
    await shot('plans-empty');
    await page.getByRole('button', { name: 'New plan', exact: true }).click();
    await page.getByLabel('Plan name').fill(PLAN);
    await step(1).getByLabel('Message').fill('Hi {{lead.firstName}},\n\nThanks for reaching out.');

    await addStep('Text message');
    await step(2).getByLabel('Message').fill('Hi {{lead.firstName}}, it is Jane. Is text OK?');
    await step(2)
      .getByText(/1 segment \(GSM-7/)
      .waitFor();
    await step(2).getByRole('combobox', { name: 'When', exact: true }).selectOption('immediate');

    await addStep('Webhook');
    await expect.poll(() => step(3).getByRole('button', { name: 'Send test request' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: '+ Add email step' }).click();
    await step(4).getByLabel('Subject').fill('Second email');
    await step(4).getByLabel('Message').fill('Checking in.');

    // Keyboard reorder with the drag handle: Space picks up, ↑ moves, Space drops.
    await step(4).getByRole('button', { name: 'Reorder step 4' }).focus();
    await page.keyboard.press('Space');
    // dnd-kit announces each move in its live region; wait for it before the next key.
    await expect.poll(() => step(4).getByRole('button', { name: 'Reorder step 4' }).getAttribute('aria-pressed')).toBe('true');
    // dnd-kit measures where the steps are in the frames after the pick-up; an arrow key before that is lost.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByText(/step 4 is over position 3/).count()).toBe(1);
    await page.keyboard.press('Space');
    await expect.poll(() => step(3).getByLabel('Subject').inputValue()).toBe('Second email');
    await expect.poll(() => step(4).getByLabel('URL').count()).toBe(1);

    // And with Alt+↑ from inside a step.
    await step(3).getByLabel('Subject').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => step(2).getByLabel('Subject').inputValue()).toBe('Second email');
    await shot('builder-steps');
  });

  it('previews when each step fires, with a text in quiet hours deferred to the morning', async () => {
    await page.getByRole('tab', { name: /Timeline preview/ }).click();
    await page.getByText('From a start date').click();
    await page.getByLabel('Start date and time').fill('2026-04-14T22:30');
    await page.getByLabel('Lead time zone').selectOption('America/New_York');
    const timeline = page.getByRole('list', { name: 'When each step fires' });
    await timeline.getByText('Deferred', { exact: true }).waitFor();
    await timeline.getByText(/Quiet hours/).waitFor();
    await timeline.getByText(/Wed, Apr 15, 8:00 AM EDT/).waitFor();
    await page.getByText('For a lead').click();
    await page.getByLabel('Lead', { exact: true }).selectOption({ label: 'Bo Diaz (America/New York)' });
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(4);
    await shot('builder-timeline');
    await page.getByRole('tab', { name: /Steps/ }).click();
  });

  it('saving as Ready shows each problem at its field, in words, and saves once they are fixed', async () => {
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await step(4).getByText('Webhook URL must start with http:// or https://').waitFor();
    await step(4).getByLabel('URL').fill('https://example.com/hooks/lead');
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await step(1).getByText('Step 1: an email needs a subject before the plan can be Ready').waitFor();
    await shot('builder-validation');

    // Delete with undo, then delete the text and webhook steps for good.
    await step(4).getByRole('button', { name: 'Delete step 4' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await step(4).getByLabel('URL').waitFor();
    await step(4).getByRole('button', { name: 'Delete step 4' }).click();
    await step(3).getByRole('button', { name: 'Delete step 3' }).click();
    await step(1).getByLabel('Subject').fill('Welcome, {{lead.firstName}}!');
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    await page.getByText(`Plan “${PLAN}” saved — Ready to enroll leads`).last().waitFor();
    await expectAccessible();
  });

  it('the state table pauses two leads at once and resumes them', async () => {
    for (const name of ['Ann Lee', 'Bo Diaz', 'Cy Park']) {
      await go('Leads');
      await page.getByRole('link', { name }).click();
      await page.getByLabel('Plan to enroll in').selectOption({ label: PLAN });
      await page.getByRole('button', { name: 'Enroll', exact: true }).click();
      await page.getByText(`Enrolled in "${PLAN}"`).first().waitFor();
    }
    await go('Action plans');
    await page.getByRole('button', { name: `3 active leads in ${PLAN}` }).click();
    await page.getByLabel('Select Ann Lee').check();
    await page.getByLabel('Select Bo Diaz').check();
    await expectAccessible();
    await shot('state-active');
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Pause: 2 of 2 leads done.').waitFor();
    await page.getByRole('button', { name: /^paused\s*2$/i }).click();
    const table = page.getByRole('table', { name: 'paused leads' });
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    await page.getByLabel('Select all 2 leads').check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Resume: 2 of 2 leads done.').waitFor();
    await go('Action plans');
    await page.getByRole('button', { name: `3 active leads in ${PLAN}` }).waitFor();
    await expectAccessible();
    await shot('plans');
  });

  it('saving an edit to a plan with leads in it first shows the effect on each lead', async () => {
    await page.getByRole('link', { name: PLAN, exact: true }).click();
    await step(2).getByLabel('Delay amount').fill('3');
    await page.getByRole('button', { name: 'Save as Ready' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save changes for enrolled leads?' });
    await dialog.getByText(/3 leads are in this plan/).waitFor();
    await dialog.getByText(/re-timed/).waitFor();
    await shot('edit-effect');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`Plan “${PLAN}” saved — Ready to enroll leads`).last().waitFor();
    await go('Action plans');
  });

  it('a plan with enrolled leads is deleted only after its leads are removed', async () => {
    await page.getByRole('button', { name: `Duplicate ${PLAN}` }).click();
    await page.getByRole('link', { name: `${PLAN} (copy)` }).waitFor();
    await page.getByRole('button', { name: `Delete ${PLAN}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Delete “${PLAN}”?` });
    await dialog.getByText(/3 leads are still in this plan/).waitFor();
    await dialog.getByRole('button', { name: 'Remove all 3 leads' }).click();
    await dialog.getByRole('button', { name: 'Delete plan' }).click();
    await page.getByText(`Deleted “${PLAN}”`).waitFor();
    await expect.poll(() => page.getByRole('link', { name: PLAN, exact: true }).count()).toBe(0);
  });

  it('imports a starter plan as a draft ready to review', async () => {
    await page.getByRole('button', { name: 'Import starter plan' }).click();
    await shot('starter-dialog');
    await page.getByRole('button', { name: 'Import Open house follow-up' }).click();
    await page.getByText('Imported “Open house follow-up” as a draft').waitFor();
    await expect.poll(() => page.getByLabel('Plan name').inputValue()).toBe('Open house follow-up');
    await expect.poll(() => page.getByRole('listitem', { name: /^Step \d+$/ }).count()).toBe(4);
    await expect.poll(() => step(1).getByLabel('Subject').inputValue()).toBe('Thanks for stopping by today, {{lead.firstName}}');
    await step(1).getByLabel('Preview for lead').selectOption({ label: 'Ann Lee' });
    await step(1)
      .getByLabel(/Preview of step 1/)
      .getByText('Thanks for stopping by today, Ann')
      .waitFor();
    await expectAccessible();
    await shot('builder-imported');
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('Only send inside a window').check();
    await page.getByLabel('Sat').check();
    await page.getByLabel('Until').fill('17:30');
    await shot('builder-settings');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Plan “Open house follow-up” saved as draft').waitFor();
  });

  it('templates: an email template is saved and picked in a step', async () => {
    await go('Templates');
    await page.getByRole('button', { name: 'New email template' }).click();
    await page.getByLabel('Template name').fill('Showing reminder');
    await page.getByLabel('Template subject').fill('See you at the showing, {{lead.firstName}}');
    await page.getByLabel('Template text').fill('Hi {{lead.firstName}}, a reminder about tomorrow.');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Template “Showing reminder” saved').waitFor();
    await shot('templates');
    await go('Action plans');
    await page.getByRole('link', { name: 'Open house follow-up' }).click();
    await step(1).getByLabel('Start from a template').selectOption({ label: 'Showing reminder' });
    await expect.poll(() => step(1).getByLabel('Subject').inputValue()).toBe('See you at the showing, {{lead.firstName}}');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Plan “Open house follow-up” saved as draft').last().waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot('shortcuts');
    await page.keyboard.press('Escape');
  });
});

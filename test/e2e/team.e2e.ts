import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string) {
  if (!SCREENSHOTS) return;
  // Dismiss the toasts of earlier steps, as a user would, so the screen itself shows.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  // (Behind an open dialog the page is inert, so they stay.)
  const dialogOpen = (await page.getByRole('dialog').count()) > 0;
  while (!dialogOpen && (await dismiss.count()) > 0) await dismiss.first().click();
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-1280.png` });
  await page.setViewportSize({ width: 900, height: 700 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-900.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** No serious or critical accessibility problems on the screen as it is now (dialogs included). */
async function expectAccessible() {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const nav = () => page.getByRole('navigation', { name: 'Main' });
const go = (name: string) => nav().getByRole('button', { name, exact: true }).click();
const toast = (text: string | RegExp) => page.getByRole('status').or(page.getByRole('alert')).getByText(text).first().waitFor();

async function switchTo(name: string) {
  await page.getByRole('button', { name: /Switch profile/ }).click();
  await page.getByRole('menuitemradio', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: new RegExp(`Profile: ${name}`) }).waitFor();
}

async function createLead(first: string, source = '', city = '') {
  await go('Leads');
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill('Test');
  await page.getByLabel('Source').fill(source);
  if (city) await page.getByLabel('City').fill(city);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await page.getByRole('heading', { name: `${first} Test` }).waitFor();
}

async function createPlan(name: string, scope?: 'account') {
  await go('Action plans');
  await page.getByRole('button', { name: 'New plan' }).click();
  if (scope) await page.getByLabel('Who can use it').selectOption('account');
  await page.getByLabel('Plan name').fill(name);
  const step1 = page.getByRole('listitem', { name: 'Step 1' });
  await step1.getByLabel('Subject').fill('Hello {{lead.firstName}}');
  await step1.getByLabel('Message').fill('Welcome.');
  await page.getByRole('button', { name: 'Save as Ready' }).click();
  await page.getByText(`Plan “${name}” saved — Ready to enroll leads`).last().waitFor();
}

async function enroll(planName: string) {
  await page.getByLabel('Plan to enroll in').selectOption({ label: planName });
  await page.getByRole('button', { name: 'Enroll', exact: true }).click();
}

async function openLead(first: string) {
  await go('Leads');
  // The table draws only the rows on screen: find the lead the way a user would, by searching.
  await page.getByLabel('Search leads').fill(first);
  await page.getByRole('link', { name: `${first} Test`, exact: true }).click();
  await page.getByRole('heading', { name: `${first} Test` }).waitFor();
}

async function addPerson(name: string, role: 'agent' | 'lender') {
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Add person' }).click();
  await page.getByRole('cell', { name, exact: true }).waitFor();
}

/** Lead routing → New rule: fills the dialog's fields by label and picks who receives the leads. */
async function addRule(name: string, fields: Record<string, string>, person: string) {
  await go('Lead routing');
  await page.getByRole('button', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New routing rule' });
  await form.getByLabel('Rule name').fill(name);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
  await form.getByRole('checkbox', { name: person }).check();
  await form.getByRole('button', { name: 'Add rule' }).click();
  await rules().getByRole('listitem', { name }).waitFor();
}

const rules = () => page.getByRole('list', { name: 'Routing rules' });
const ruleNames = () => rules().getByRole('listitem').locator('strong').allTextContents();

const setting = (name: string) => page.getByRole('switch', { name });
/** The switch shows the engine's saved state, so it flips once the engine has saved it. */
async function turn(name: string, on: boolean) {
  if ((await setting(name).isChecked()) !== on) await setting(name).click();
  await expect.poll(() => setting(name).isChecked()).toBe(on);
}

beforeAll(async () => {
  host = new WebHost();
  await host.start();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await openApp(context, host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('team rules, persona by persona', () => {
  it('a solo agent’s first run: works alone, builds a personal plan and enrolls a lead in it', async () => {
    await page.getByRole('heading', { name: 'Welcome to Action Plans' }).waitFor();
    await shot('first-run');
    await workAlone(page, 'Pat Solo', 'pat@example.com');
    await expect.poll(() => page.getByRole('button', { name: /Profile: Pat Solo, Primary manager/ }).count()).toBe(1);
    await createPlan('Pat’s buyers');
    await page.getByText('Personal plan — only you see it').waitFor();
    await createLead('Ann');
    await enroll('Pat’s buyers');
    await page.getByRole('list', { name: 'History' }).getByText('Enrolled in "Pat’s buyers"').waitFor();
  });

  it('the manager toggles Action Plan Settings and the agent’s menu changes accordingly', async () => {
    await go('Team');
    await addPerson('Ava Agent', 'agent');
    await addPerson('Leo Lender', 'lender');
    await turn('Allow users to create personal action plans', false);
    await expect.poll(() => setting('Allow agents and lenders to manually assign leads to fully automated plans').isDisabled()).toBe(false);
    await switchTo('Ava Agent');
    await expect.poll(() => nav().getByRole('button', { name: 'Lead routing' }).count()).toBe(0);
    await expect.poll(() => nav().getByRole('button', { name: 'Team' }).count()).toBe(0);
    await go('Action plans');
    await page.getByRole('heading', { name: 'Action plans', exact: true, level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'New plan' }).count()).toBe(0);
    // Pat's personal plan is Pat's alone.
    expect(await page.getByRole('link', { name: 'Pat’s buyers' }).count()).toBe(0);

    await switchTo('Pat Solo');
    await go('Team');
    await turn('Allow users to create personal action plans', true);
    await turn('Allow users to select a preferred lender', true);
    // Toggle 1 also turns on toggle 3 (shown on and fixed).
    await expect.poll(() => setting('Allow agents and lenders to manually assign leads to fully automated plans').isChecked()).toBe(true);
    await expect.poll(() => setting('Allow agents and lenders to manually assign leads to fully automated plans').isDisabled()).toBe(true);
    await shot('team-settings');
    await switchTo('Ava Agent');
    await nav().getByRole('button', { name: 'Lead routing' }).waitFor();
    await go('Action plans');
    await page.getByRole('button', { name: 'New plan' }).waitFor();
  });

  it('an agent sets Lead Routing Settings and a routed lead lands on the chosen plan with the preferred lender', async () => {
    await switchTo('Pat Solo');
    await addRule('Zillow buyers', { Sources: 'Zillow' }, 'Ava Agent');

    await switchTo('Ava Agent');
    await createPlan('Ava’s Zillow plan');
    await go('Lead routing');
    await page.getByRole('heading', { name: 'Lead Routing Settings' }).waitFor();
    await page.getByLabel('Action plan for “Zillow buyers”').selectOption({ label: 'Ava’s Zillow plan' });
    await page.getByLabel('Preferred lender for “Zillow buyers”').selectOption({ label: 'Leo Lender' });
    await page.getByLabel('Preferred lender (default)').selectOption({ label: 'Leo Lender' });
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await toast('Lead Routing Settings saved');
    await shot('lead-routing-settings');

    await switchTo('Pat Solo');
    await createLead('Zoe', 'Zillow');
    const profile = page.getByRole('region', { name: 'Profile' });
    await expect.poll(() => profile.getByText('Ava Agent').count()).toBe(1);
    await expect.poll(() => profile.getByText('Leo Lender').count()).toBe(1);
    await page.getByRole('region', { name: 'Action plans' }).getByText('Ava’s Zillow plan').waitFor();
    await page
      .getByRole('list', { name: 'History' })
      .getByText(/Routed to Ava Agent by rule "Zillow buyers"/)
      .waitFor();
    await shot('routed-lead');
  });

  it('a lender sees only their leads and hits the daily cap with a clear message', async () => {
    await createPlan('Team nurture', 'account');
    for (let i = 1; i <= 50; i++) await createLead(`Z${i}`, 'Zillow');

    await switchTo('Leo Lender');
    await go('Leads');
    await page.getByLabel('Search leads').fill('Zoe');
    await page.getByRole('link', { name: 'Zoe Test' }).waitFor();
    await page.getByLabel('Search leads').fill('Ann');
    await page
      .getByText(/No lead matches|No leads match/)
      .first()
      .waitFor();
    expect(await page.getByRole('link', { name: 'Ann Test' }).count()).toBe(0);
    await openLead('Zoe');
    await page.getByText('50 of 50 manual assignments to fully automated plans left today for the whole account.').waitFor();
    await enroll('Team nurture');
    await page.getByText('49 of 50 manual assignments').waitFor();
    for (let i = 1; i <= 49; i++) {
      await openLead(`Z${i}`);
      await enroll('Team nurture');
      await page.getByText(`${49 - i} of 50 manual assignments`).waitFor();
    }
    await openLead('Z50');
    await enroll('Team nurture');
    await toast(
      'The account may make 50 manual assignments to fully automated plans per day and none are left today; this request needs 1. Nothing was assigned.',
    );
    await page.getByLabel('Note', { exact: true }).fill('Pre-approval call booked');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('list', { name: 'History' }).getByText('Pre-approval call booked').waitFor();
    await shot('lender-cap');
  });

  it('a manager locks an account plan: the agent views it step by step, cannot edit it, and duplicates it as a personal plan', async () => {
    await switchTo('Pat Solo');
    await go('Action plans');
    await page.getByRole('link', { name: 'Team nurture' }).click();
    await page.getByRole('button', { name: 'Lock plan' }).click();
    await toast('Plan locked: others can only view it');
    await switchTo('Ava Agent');
    await go('Action plans');
    await page.getByRole('link', { name: 'Team nurture' }).click();
    await page.getByText('Locked — read-only').waitFor();
    await expect.poll(() => page.getByRole('listitem', { name: 'Step 1' }).getByLabel('Subject').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save as Ready' }).count()).toBe(0);
    await shot('locked-plan');
    await page.getByRole('button', { name: 'Duplicate as personal plan' }).click();
    await page.getByRole('heading', { name: 'Team nurture (copy)' }).waitFor();
    await page.getByRole('button', { name: 'Save as Ready' }).waitFor();
  });

  it('a manager edits a routing rule and moves another above it by keyboard; the next lead routes by the new order', async () => {
    await switchTo('Pat Solo');
    await go('Team');
    await addPerson('Ben Agent', 'agent');
    await addRule('Austin', { Cities: 'Austin' }, 'Ben Agent');
    expect(await ruleNames()).toEqual(['Zillow buyers', 'Austin']);

    // Edit: rename the Zillow rule and narrow it to Zillow leads in Austin or Dallas.
    await rules().getByRole('button', { name: 'Edit “Zillow buyers”' }).click();
    const edit = page.getByRole('form', { name: 'Edit routing rule “Zillow buyers”' });
    await expect.poll(() => edit.getByLabel('Sources').inputValue()).toBe('Zillow');
    await edit.getByLabel('Rule name').fill('Zillow leads');
    await edit.getByLabel('Cities').fill('Austin, Dallas');
    await shot('routing-rule-edit');
    await expectAccessible();
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await toast('Routing rule “Zillow leads” saved');
    await rules().getByText('Leads with source Zillow, city Austin or Dallas').waitFor();
    expect(await ruleNames()).toEqual(['Zillow leads', 'Austin']);

    // Move "Austin" up with the keyboard: it is now tried first, and focus stays on it.
    await rules().getByRole('button', { name: 'Move “Austin” up' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(ruleNames).toEqual(['Austin', 'Zillow leads']);
    await expect
      .poll(() =>
        rules()
          .getByRole('button', { name: 'Move “Austin” down' })
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await shot('lead-routing-rules');
    await expectAccessible();

    await createLead('Nia', 'Zillow', 'Austin');
    await expect.poll(() => page.getByRole('region', { name: 'Profile' }).getByText('Ben Agent').count()).toBe(1);
    await page
      .getByRole('list', { name: 'History' })
      .getByText(/Routed to Ben Agent by rule "Austin"/)
      .waitFor();

    // The agent sees the rules that route to them, read-only, with their conditions.
    await switchTo('Ava Agent');
    await go('Lead routing');
    await page
      .getByRole('region', { name: 'Rule: Zillow leads' })
      .getByText(/Leads with source Zillow, city Austin or Dallas/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'New rule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Move|Edit|Delete/ }).count()).toBe(0);
    await shot('lead-routing-agent');
  });

  it('a manager edits a person’s role; a change that would break routing is refused in words', async () => {
    await switchTo('Pat Solo');
    await go('Team');
    const people = page.getByRole('table', { name: 'People' });
    await people.getByRole('button', { name: 'Edit Ben Agent' }).click();
    const ben = page.getByRole('form', { name: 'Edit Ben Agent' });
    await ben.getByLabel('Name').fill('Ben Broker');
    await ben.getByLabel('Role').selectOption('manager');
    await ben.getByRole('button', { name: 'Save changes' }).click();
    await toast('Ben Broker saved');
    await people
      .getByRole('row', { name: /Ben Broker/ })
      .getByRole('cell', { name: 'Manager', exact: true })
      .waitFor();

    await people.getByRole('button', { name: 'Edit Ava Agent' }).click();
    const ava = page.getByRole('form', { name: 'Edit Ava Agent' });
    await ava.getByLabel('Role').selectOption('lender');
    await ava.getByRole('button', { name: 'Save changes' }).click();
    await ava
      .getByRole('alert')
      .getByText(
        'Ava Agent cannot become a lender while the routing rule “Zillow leads” sends leads to them (lenders do not receive routed leads): take them off first.',
      )
      .waitFor();
    await shot('team-person-refused');
    await ava.getByRole('button', { name: 'Cancel' }).click();
    await people
      .getByRole('row', { name: /Ava Agent/ })
      .getByRole('cell', { name: 'Agent', exact: true })
      .waitFor();

    // The primary manager's role is fixed, and says why.
    await people.getByRole('button', { name: /^Edit Pat Solo/ }).click();
    const pat = page.getByRole('form', { name: 'Edit Pat Solo' });
    await expect.poll(() => pat.getByLabel('Role').isDisabled()).toBe(true);
    await pat.getByText('A team always has exactly one primary manager, so this role does not change.').waitFor();
    await pat.getByRole('button', { name: 'Cancel' }).click();

    // Removing a person who still works leads is refused with what to hand over; nothing is removed.
    await people.getByRole('button', { name: 'Remove Leo Lender' }).click();
    await page.getByRole('dialog', { name: 'Remove Leo Lender from the team?' }).getByRole('button', { name: 'Remove person' }).click();
    await page
      .getByRole('region', { name: 'People' })
      .getByRole('alert')
      .getByText(/^Leo Lender cannot be removed yet, so that nothing is lost\. Leo Lender works \d+ leads/)
      .waitFor();
    await people.getByRole('cell', { name: 'Leo Lender', exact: true }).waitFor();
    await shot('team-people');
    await expectAccessible();

    // Ben, now a manager, gets the Team screen.
    await switchTo('Ben Broker');
    await nav().getByRole('button', { name: 'Team' }).waitFor();
  });
});

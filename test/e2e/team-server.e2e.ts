import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCouch } from '../support/couch-server';
import type { CouchServer } from '../support/couch-server';
import { launchBrowser, openApp, SCREENSHOTS, WebHost, workAlone } from './harness';

// Two app instances on two ports (the manager's computer and the agent's), each in its own browser
// profile, with a CouchDB-compatible team server on loopback between them.
let couch: CouchServer;
let browser: Browser;
const hosts = { manager: new WebHost(), agent: new WebHost() };
let maria: Page;
let alex: Page;

beforeAll(async () => {
  [couch] = await Promise.all([startCouch(), hosts.manager.start(), hosts.agent.start()]);
  browser = await launchBrowser();
  maria = await openApp(await browser.newContext({ viewport: { width: 1280, height: 800 } }), hosts.manager.url);
  alex = await openApp(await browser.newContext({ viewport: { width: 1280, height: 800 } }), hosts.agent.url);
}, 60_000);

afterEach(async (ctx) => {
  if (SCREENSHOTS && ctx.task.result?.state === 'fail')
    for (const [who, page] of [
      ['maria', maria],
      ['alex', alex],
    ] as const)
      await page?.screenshot({ path: `${SCREENSHOTS}/team-server-failed-${who}.png` });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([hosts.manager.stop(), hosts.agent.stop()]);
  await couch?.stop();
});

/** Screenshots at the usual window and a small one (only when E2E_SCREENSHOTS names a folder). */
async function shot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.screenshot({ path: `${SCREENSHOTS}/team-server-${name}-1280x800.png` });
  await page.setViewportSize({ width: 800, height: 600 });
  await page.screenshot({ path: `${SCREENSHOTS}/team-server-${name}-800x600.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const call = <T>(page: Page, method: string, params: unknown): Promise<T> =>
  page.evaluate(
    ([m, p]) => (window as unknown as { actionPlansTest: { call(m: string, p: unknown): Promise<unknown> } }).actionPlansTest.call(m, p),
    [method, params] as const,
  ) as Promise<T>;

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function openTeamServer(page: Page) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('tab', { name: 'Team server' }).click();
}

describe('a team on two computers through the team server', () => {
  it('the manager sets the team up on the server from Settings, and gives the agent a sign-in', async () => {
    await workAlone(maria, 'Maria Manager', 'maria@example.com');
    await call(maria, 'team.users.add', { name: 'Alex Agent', email: 'alex@example.com', role: 'agent' });
    await openTeamServer(maria);
    // Not connected: no status line in the sidebar, and the forms say what a server is for.
    expect(
      await nav(maria)
        .getByRole('button', { name: /^Team server:/ })
        .count(),
    ).toBe(0);
    await shot(maria, 'not-connected');
    await expectAccessible(maria);

    const setup = maria.getByRole('form', { name: 'Set up a new team server' });
    await setup.getByRole('button', { name: 'Set up the team' }).click();
    await setup.getByText('The address must start with http:// or https://').waitFor();
    await setup.getByLabel('Server address').fill(couch.url);
    await setup.getByLabel('Server administrator').fill(couch.admin.user);
    await setup.getByLabel('Administrator password').fill(couch.admin.password);
    await setup.getByLabel('Your sign-in name').fill('maria');
    await setup.getByLabel('Your password').fill('maria-pass-1');
    await setup.getByRole('button', { name: 'Set up the team' }).click();

    const status = maria.getByRole('region', { name: 'Team server' });
    await status.getByText(/^Synced at \d\d:\d\d/).waitFor({ timeout: 30_000 });
    await status.getByText('Maria’s computer').waitFor();
    await nav(maria)
      .getByRole('button', { name: /^Team server: Synced/ })
      .waitFor();

    const invite = maria.getByRole('form', { name: 'Give a person a sign-in' });
    await invite.getByLabel('Person').selectOption({ label: 'Alex Agent (Agent)' });
    expect(await invite.getByLabel('Their sign-in name').inputValue()).toBe('alex');
    await invite.getByLabel('Their password').fill('alex-pass-1');
    await invite.getByLabel('Server administrator').fill(couch.admin.user);
    await invite.getByLabel('Administrator password').fill(couch.admin.password);
    await invite.getByRole('button', { name: 'Give the sign-in' }).click();
    await invite.getByText(/Alex Agent can now join from their computer/).waitFor();
    await shot(maria, 'connected');
    await expectAccessible(maria);
  });

  it('the agent joins from the first run with their sign-in, and works as Alex Agent', async () => {
    const join = alex.getByRole('form', { name: 'Join the team server' });
    await join.getByLabel('Server address').fill(couch.url);
    await join.getByLabel('Sign-in name').fill('alex');
    await join.getByLabel('Password').fill('wrong-password');
    await join.getByRole('button', { name: 'Test connection' }).click();
    await join
      .getByRole('status')
      .getByText(/password/i)
      .waitFor();
    await join.getByLabel('Password').fill('alex-pass-1');
    await join.getByRole('button', { name: 'Test connection' }).click();
    await join.getByText(/^Connected to .* as alex: agent of team/).waitFor();
    await shot(alex, 'join');
    await join.getByRole('button', { name: 'Connect', exact: true }).click();
    await alex
      .getByRole('button', { name: /^Profile: Alex Agent, Agent\. Signed in to the team server as alex/ })
      .waitFor({ timeout: 30_000 });
    await nav(alex)
      .getByRole('button', { name: /^Team server: Synced/ })
      .waitFor();
  });

  it('a lead the manager gives the agent appears on the agent’s Leads within seconds, and not a lead of someone else', async () => {
    const session = await call<{ users: { id: string; name: string }[]; currentUser: { id: string } }>(maria, 'session.get', {});
    const alexId = session.users.find((u) => u.name === 'Alex Agent')!.id;
    const lead = (first: string, buyerAgent: string) => ({
      firstName: first,
      lastName: 'Lee',
      email: `${first.toLowerCase()}@example.com`,
      timeZone: 'America/New_York',
      source: 'Zillow',
      stage: 'New',
      tags: [],
      assignees: { buyerAgent },
    });
    await call(maria, 'leads.create', lead('Hana', alexId));
    await call(maria, 'leads.create', lead('Otto', session.currentUser.id));
    await nav(alex).getByRole('button', { name: 'Leads', exact: true }).click();
    await alex.getByRole('link', { name: 'Hana Lee' }).waitFor({ timeout: 15_000 });
    expect(await alex.getByRole('link', { name: 'Otto Lee' }).count()).toBe(0);
    await shot(alex, 'agent-leads');
  });

  it('disconnecting asks first, and the computer keeps its leads', async () => {
    await openTeamServer(alex);
    await alex.getByRole('button', { name: 'Disconnect…' }).click();
    const dialog = alex.getByRole('dialog', { name: 'Disconnect this computer?' });
    await dialog.getByText(/stay here/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await nav(alex)
      .getByRole('button', { name: /^Team server: Synced/ })
      .waitFor();
    await alex.getByRole('button', { name: 'Disconnect…' }).click();
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await alex.getByRole('form', { name: 'Join the team server' }).waitFor();
    expect(
      await nav(alex)
        .getByRole('button', { name: /^Team server:/ })
        .count(),
    ).toBe(0);
    await nav(alex).getByRole('button', { name: 'Leads', exact: true }).click();
    await alex.getByRole('link', { name: 'Hana Lee' }).waitFor();
  });
});

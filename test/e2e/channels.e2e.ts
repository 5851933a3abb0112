import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../src-renderer/ui/lib/engine-client';
import { replyMail, startTestDovecot } from '../unit/main/dovecot-test-server';
import type { TestDovecot } from '../unit/main/dovecot-test-server';
import { launchBrowser, Mailbox, openApp, SCREENSHOTS, WebHost, workAlone, fillEmailAccount } from './harness';

let mailbox: Mailbox;
let dovecot: TestDovecot;
let hooks: Server;
let hookUrl: string;
const hookCalls: string[] = [];
let host: WebHost;
let browser: Browser;
let page: Page;

async function shot(name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
const go = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

beforeAll(async () => {
  mailbox = new Mailbox();
  await mailbox.start();
  dovecot = await startTestDovecot();
  // A Zapier-style endpoint that refuses the payload (422): the webhook fails for good.
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hookCalls.push(body);
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Field "email" is required' }));
    });
  });
  await new Promise<void>((ok) => hooks.listen(0, '127.0.0.1', ok));
  hookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hooks/new-lead`;
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
  await new Promise((ok) => hooks?.close(ok));
  await dovecot?.close();
  await mailbox?.stop();
});

describe('a webhook that fails and a reply that pauses the plan, as the user sees them', () => {
  it('the user sets up email and the reply mailbox in Settings; "Test IMAP connection" says what the server answered', async () => {
    await go('Settings');
    await fillEmailAccount(page, mailbox.port);
    await page.getByRole('button', { name: 'Save email account' }).click();
    await page.getByText('Email account saved').waitFor();

    const imap = page.getByRole('form', { name: 'Reply mailbox' });
    await imap.getByLabel('IMAP server').fill('127.0.0.1');
    await imap.getByLabel('Use TLS').uncheck();
    await imap.getByLabel('IMAP port').fill(String(dovecot.port));
    await imap.getByLabel('Mailbox user').fill(dovecot.user);
    await imap.getByLabel('Mailbox password').fill(dovecot.password);
    await imap.getByRole('button', { name: 'Save reply mailbox' }).click();
    await page.getByText('Reply mailbox saved').waitFor();
    await imap.getByRole('button', { name: 'Test IMAP connection' }).click();
    await page
      .getByRole('status')
      .getByText(/Logged in to 127\.0\.0\.1\. Folder "INBOX" has 0 messages; the server supports IDLE/)
      .waitFor();
    // The first check notes where the inbox is, so older mail is never taken for a reply.
    await imap.getByRole('button', { name: 'Check for replies now' }).click();
    await page.getByRole('status').getByText('Read 0 new messages; 0 counted as replies.').waitFor();
    await shot('channels-settings');
  });

  it('a webhook step that the endpoint refuses shows in the lead history, as a notification and in the webhook monitor', async () => {
    // The plan builder has no webhook editor yet: the plan is created through the engine's contract, as the builder would.
    await page.evaluate(async (url) => {
      const engine = (window as unknown as { testEngine: EngineClient }).testEngine;
      const session = await engine.call('session.get', {});
      await engine.call('plans.create', {
        name: 'Zapier hand-off',
        scope: { kind: 'personal', ownerUserId: session.currentUser.id },
        status: 'ready',
        pauseOnReply: true,
        steps: [
          {
            id: 's1',
            kind: 'email',
            subject: 'Welcome, {{lead.firstName}}',
            body: 'Hi {{lead.firstName}}!',
            timing: { kind: 'immediate' },
          },
          {
            id: 's2',
            kind: 'webhook',
            method: 'POST',
            url,
            headers: [],
            payload: { mode: 'fields', fields: [{ key: 'name', value: '{{lead.fullName}}' }] },
            timing: { kind: 'immediate' },
          },
          { id: 's3', kind: 'email', subject: 'Still looking?', body: 'Checking in.', timing: { kind: 'after', amount: 2, unit: 'days' } },
        ],
      } as never);
    }, hookUrl);

    await go('Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.getByLabel('First name').fill('Ann');
    await page.getByLabel('Last name').fill('Lee');
    await page.getByLabel('Email').fill('ann@example.com');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { name: 'Ann Lee' }).waitFor();
    await page.getByLabel('Plan to enroll in').selectOption({ label: 'Zapier hand-off' });
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();

    const history = page.getByRole('list', { name: 'History' });
    await history.getByText(`Webhook POST ${hookUrl} failed: 127.0.0.1`, { exact: false }).waitFor({ timeout: 20_000 });
    await history
      .getByText(/answered 422/)
      .first()
      .waitFor();
    expect(JSON.parse(hookCalls[0] ?? '{}')).toEqual({ name: 'Ann Lee' });
    // Web mode: without notification permission the page shows it in the window.
    await page
      .getByText(/Webhook failed: .*answered 422/)
      .first()
      .waitFor();
    await shot('channels-lead-webhook-failed');

    await go('Outbox');
    const monitor = page.getByRole('table', { name: 'Webhook calls' });
    await monitor.getByText('HTTP 422').waitFor();
    await monitor.getByText('{"error":"Field \\"email\\" is required"}').waitFor();
    await monitor.getByText(`POST ${hookUrl}`, { exact: true }).click();
    await expect.poll(() => monitor.locator('pre').first().textContent()).toContain('{"name":"Ann Lee"}');
    await shot('channels-webhook-monitor');
  });

  it('a reply from the lead pauses the plan and the lead shows as replied', async () => {
    const [welcome] = await mailbox.waitFor(1);
    await dovecot.append(
      replyMail({
        from: 'Ann Lee <ann@example.com>',
        to: 'jane@example.com',
        subject: 'Re: Welcome, Ann',
        text: 'Call me tomorrow',
        inReplyTo: welcome!.messageId,
      }),
    );
    await go('Settings');
    await page.getByRole('form', { name: 'Reply mailbox' }).getByRole('button', { name: 'Check for replies now' }).click();
    // The background watcher may have read it first; either way the check answers in words.
    await page
      .getByRole('status')
      .getByText(/^Read \d+ new messages?; \d+ counted as repl/)
      .waitFor();

    await go('Leads');
    await page.getByRole('link', { name: 'Ann Lee' }).click();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('Ann Lee wrote: Email "Re: Welcome, Ann"').waitFor();
    await history.getByText('The lead replied by email').waitFor();
    await history.getByText('Paused: "Zapier hand-off" (the lead replied)').waitFor();
    await page.getByText('paused', { exact: true }).first().waitFor();
    await shot('channels-lead-replied');

    // Step three (two days later) does not go out while the plan is paused.
    await host.advanceClock(3 * 24 * 3_600_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(mailbox.messages).toHaveLength(1);
  });
});

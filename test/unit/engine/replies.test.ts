import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LeadId } from '@shared/model/ids';
import type { PlanInput } from '@shared/model/plan';
import { replyMail, startTestDovecot } from '../main/dovecot-test-server';
import type { TestDovecot } from '../main/dovecot-test-server';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { aLead, aPlan, currentUserId, DAY, emailStep, startEngine } from './harness';
import type { TestEngine } from './harness';
import { createReplyWatcher } from '../../../src-renderer/engine/replies/watcher';
import { startRealHost } from './real-host';
import type { RealHost } from './real-host';

let dovecot: TestDovecot;
let smtp: TestSmtp;
let host: RealHost | undefined;
let t: TestEngine | undefined;

beforeAll(async () => {
  dovecot = await startTestDovecot();
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await dovecot?.close();
});
afterEach(async () => {
  t?.engine.close();
  await host?.close();
  t = host = undefined;
});

/** A lead enrolled in a two-email plan whose first email went out through the real SMTP server, with the inbox watched. */
async function leadWhoGotAnEmail(plan: Partial<PlanInput> = {}) {
  host = await startRealHost();
  t = await startEngine({ host, emailAccount: false });
  await t.call('settings.emailAccount.save', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    user: '',
    fromName: 'Jane Agent',
    fromEmail: 'jane@realty.example',
  });
  await t.call('settings.imap.save', {
    host: '127.0.0.1',
    port: dovecot.port,
    tls: false,
    user: dovecot.user,
    password: dovecot.password,
    folder: 'INBOX',
    pollSeconds: 30,
  });
  // The first check only notes where the inbox is: older mail is never taken for a reply.
  expect(await t.call('replies.checkNow', {})).toEqual({ read: 0, replies: 0, problems: [] });
  const owner = await currentUserId(t);
  const lead = await t.call('leads.create', aLead({ email: `ann.${Math.random().toString(36).slice(2)}@example.com` }));
  const created = await t.call('plans.create', aPlan(owner, plan));
  const enrollment = await t.call('enrollments.enroll', { leadId: lead.id, planId: created.id });
  await t.tick();
  const sent = (await t.call('outbox.list', { leadId: lead.id })).find((m) => m.channel === 'email' && m.status === 'sent');
  expect(sent?.providerMessageId).toBeTruthy();
  return { t, lead, plan: created, enrollment, messageId: sent!.providerMessageId! };
}

const stateOf = async (t: TestEngine, leadId: LeadId) => (await t.call('enrollments.forLead', { leadId }))[0];

describe('a reply from the lead pauses plans with pause-on-reply (IMAP, dovecot)', () => {
  it('a reply to our email (In-Reply-To) is recorded, marks the enrollment engaged and pauses the plan', async () => {
    const { t, lead, messageId } = await leadWhoGotAnEmail();
    await dovecot.append(
      replyMail({
        from: `Ann Lee <${lead.email}>`,
        to: 'jane@realty.example',
        subject: 'Re: Hello Ann',
        text: 'Yes please, call me.',
        inReplyTo: messageId,
      }),
    );
    expect(await t.call('replies.checkNow', {})).toMatchObject({ read: 1, replies: 1 });
    const e = await stateOf(t, lead.id);
    expect(e).toMatchObject({ state: 'paused', engaged: true });
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'note')).toMatchObject({
      summary: 'Ann Lee wrote: Email "Re: Hello Ann"',
      detail: 'Yes please, call me.',
    });
    expect(history.find((h) => h.kind === 'replied')?.summary).toBe('The lead replied by email');
    expect(history.find((h) => h.kind === 'stateChanged')?.summary).toBe('Paused: "Buyer follow-up" (the lead replied)');
    // Step two (due in two days) does not go out while paused.
    await t.advance(3 * DAY);
    expect((await t.call('outbox.list', { leadId: lead.id })).filter((m) => m.channel === 'email')).toHaveLength(1);
    await t.tick();
    expect(host!.notifications).toContainEqual(expect.objectContaining({ title: 'Ann Lee replied', leadId: lead.id }));
  });

  it('an out-of-office answer is recorded but does not pause the plan', async () => {
    const { t, lead, messageId } = await leadWhoGotAnEmail();
    await dovecot.append(
      replyMail({
        from: lead.email!,
        to: 'jane@realty.example',
        subject: 'Automatic reply: Hello Ann',
        text: 'I am out of the office until Monday.',
        inReplyTo: messageId,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    expect(await t.call('replies.checkNow', {})).toMatchObject({ read: 1, replies: 0 });
    expect(await stateOf(t, lead.id)).toMatchObject({ state: 'active', engaged: false });
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'autoReplied')?.summary).toBe(
      'Automatic reply received (Auto-Submitted: auto-replied); not counted as a reply',
    );
  });

  it('a new email from a known lead counts as a reply even without In-Reply-To', async () => {
    const { t, lead } = await leadWhoGotAnEmail();
    await dovecot.append(
      replyMail({ from: lead.email!.toUpperCase(), to: 'jane@realty.example', subject: 'Question', text: 'Is the house still for sale?' }),
    );
    await t.call('replies.checkNow', {});
    expect(await stateOf(t, lead.id)).toMatchObject({ state: 'paused', engaged: true });
  });

  it('a plan without pause-on-reply keeps running but the enrollment counts as engaged', async () => {
    const { t, lead } = await leadWhoGotAnEmail({ pauseOnReply: false });
    await dovecot.append(replyMail({ from: lead.email!, to: 'jane@realty.example', subject: 'Thanks', text: 'Thanks!' }));
    await t.call('replies.checkNow', {});
    expect(await stateOf(t, lead.id)).toMatchObject({ state: 'active', engaged: true });
  });

  it('mail from someone who is not a lead changes nothing', async () => {
    const { t, lead } = await leadWhoGotAnEmail();
    await dovecot.append(replyMail({ from: 'newsletter@shop.example', to: 'jane@realty.example', subject: 'Sale', text: 'Big sale' }));
    expect(await t.call('replies.checkNow', {})).toMatchObject({ read: 1, replies: 0 });
    expect(await stateOf(t, lead.id)).toMatchObject({ state: 'active', engaged: false });
  });

  it('"unsubscribe" (the List-Unsubscribe mail) opts the lead out of email; later email steps are skipped', async () => {
    const { t, lead } = await leadWhoGotAnEmail({
      pauseOnReply: false,
      steps: [emailStep(), emailStep({ subject: 'Later', timing: { kind: 'after', amount: 1, unit: 'days' } })] as PlanInput['steps'],
    });
    await dovecot.append(replyMail({ from: lead.email!, to: 'jane@realty.example', subject: 'unsubscribe', text: '' }));
    await t.call('replies.checkNow', {});
    expect((await t.call('leads.get', { id: lead.id })).optOuts.email).toBe(true);
    await t.advance(2 * DAY);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'optedOut')?.summary).toContain('opted out of email');
    expect(history.find((h) => h.kind === 'skipped')?.summary).toContain('the lead opted out of email');
    expect((await t.call('outbox.list', { leadId: lead.id })).filter((m) => m.channel === 'email')).toHaveLength(1);
  });

  it('a reply read twice (e.g. after a crash before the position was saved) counts once', async () => {
    const { t, lead } = await leadWhoGotAnEmail({ pauseOnReply: false });
    await dovecot.append(replyMail({ from: lead.email!, to: 'jane@realty.example', subject: 'Hi', text: 'Hi' }));
    await t.call('replies.checkNow', {});
    const cursor = (await t.db.settings.get('imapCursor'))!.value as { uidValidity: number; lastUid: number };
    await t.db.settings.put({ key: 'imapCursor', value: { ...cursor, lastUid: cursor.lastUid - 1 } });
    expect(await t.call('replies.checkNow', {})).toMatchObject({ read: 1, replies: 0 });
    expect((await t.call('leads.history', { leadId: lead.id })).filter((h) => h.kind === 'replied')).toHaveLength(1);
  });

  it('the watcher waits on IMAP IDLE, so a reply pauses the plan as soon as it arrives, without a manual check', async () => {
    const { t, lead, messageId } = await leadWhoGotAnEmail();
    const watcher = createReplyWatcher(t.engine.deps);
    watcher.start();
    try {
      await new Promise((r) => setTimeout(r, 500));
      await dovecot.append(
        replyMail({ from: lead.email!, to: 'jane@realty.example', subject: 'Re: Hello', text: 'Yes', inReplyTo: messageId }),
      );
      await expect.poll(async () => (await stateOf(t, lead.id))?.state, { timeout: 15_000, interval: 200 }).toBe('paused');
    } finally {
      watcher.stop();
    }
  });

  it('an unreachable mail server is reported in words and the next check tries again', async () => {
    host = await startRealHost();
    t = await startEngine({ host });
    await t.call('settings.imap.save', {
      host: '127.0.0.1',
      port: 9,
      tls: false,
      user: 'x',
      password: 'y',
      folder: 'INBOX',
      pollSeconds: 60,
    });
    const result = await t.call('replies.checkNow', {});
    expect(result.problems[0]).toMatch(/Reading replies by email failed: Could not reach the mail server 127\.0\.0\.1:9/);
  });

  it('the mailbox password is kept in the host secret store, never in the app database', async () => {
    const { t } = await leadWhoGotAnEmail();
    const settings = await t.db.settings.toArray();
    expect(JSON.stringify(settings)).not.toContain(dovecot.password);
    expect((await t.call('settings.imap.get', {}))?.passwordSecret).toBe('imap-password');
  });
});

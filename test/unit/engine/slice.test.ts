import { describe, expect, it } from 'vitest';
import { aLead, aPlan, currentUserId, DAY, deliveryError, emailStep, executionsIn, HOUR, MINUTE, startEngine, T0 } from './harness';

async function enrolledLead(patch = {}) {
  const t = await startEngine();
  const owner = await currentUserId(t);
  const lead = await t.call('leads.create', aLead(patch));
  const plan = await t.call('plans.create', aPlan(owner));
  const enrollment = await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
  return { t, owner, lead, plan, enrollment };
}

describe('the first slice: lead → plan → enroll → email', () => {
  it('enrolling a lead sends step one at once with merged fields and records it in history', async () => {
    const { t, lead } = await enrolledLead();
    await t.tick();
    expect(t.host.sent).toHaveLength(1);
    const { message } = t.host.sent[0]!;
    expect(message.to).toBe('ann@example.com');
    expect(message.subject).toBe('Hello Ann');
    expect(message.text).toContain('Hi Ann,');
    const history = await t.call('leads.history', { leadId: lead.id });
    const sent = history.find((h) => h.kind === 'sent');
    expect(sent?.summary).toBe('Sent email "Hello Ann" to ann@example.com');
    expect(sent?.at).toBe(T0);
  });

  it('step two shows as upcoming two days later at the same local time in the lead’s zone', async () => {
    const { t, lead } = await enrolledLead();
    await t.tick();
    const upcoming = await t.call('leads.upcoming', { leadId: lead.id });
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0]!.dueAt).toBe(T0 + 2 * DAY);
    expect(upcoming[0]!.leadTimeZone).toBe('America/New_York');
  });

  it('step two is sent when the clock reaches its due time, not a minute before', async () => {
    const { t } = await enrolledLead();
    await t.tick();
    await t.advance(2 * DAY - MINUTE);
    expect(t.host.sent).toHaveLength(1);
    await t.advance(MINUTE);
    expect(t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Checking in, Ann']);
  });

  it('"2 days later" keeps the lead’s wall-clock time across a DST change', async () => {
    // Enrolled Sat 2026-03-07 10:00 New York (EST); DST starts Sun 03-08; due Mon 10:00 EDT = 14:00 UTC.
    const t = await startEngine({ at: Date.UTC(2026, 2, 7, 15, 0) });
    const owner = await currentUserId(t);
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(owner));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    const [next] = await t.call('leads.upcoming', { leadId: lead.id });
    expect(next!.dueAt).toBe(Date.UTC(2026, 2, 9, 14, 0));
  });

  it('merge fields are HTML-escaped in the HTML part of the email', async () => {
    const { t } = await enrolledLead({ firstName: '<b>Ann</b>' });
    await t.tick();
    const { message } = t.host.sent[0]!;
    expect(message.html).toContain('Hi &lt;b&gt;Ann&lt;/b&gt;,');
    expect(message.html).not.toContain('<b>Ann</b>');
  });

  it('a step never runs twice, however often the scheduler passes', async () => {
    const { t } = await enrolledLead();
    await Promise.all([t.tick(), t.tick(), t.tick()]);
    await t.tick();
    expect(t.host.sent).toHaveLength(1);
    expect(await executionsIn(t.db)).toHaveLength(1);
    expect(await t.db.outbox.count()).toBe(1);
  });

  it('data survives closing and reopening the store', async () => {
    const { t, lead } = await enrolledLead();
    await t.tick();
    t.engine.close();
    const { AppDb } = await import('../../../src-renderer/engine/store/db');
    const reopened = new AppDb(t.db.name);
    expect((await reopened.leads.get(lead.id))?.firstName).toBe('Ann');
    expect(await reopened.history.where('leadId').equals(lead.id).count()).toBeGreaterThanOrEqual(4);
    reopened.close();
  });
});

describe('plan rules', () => {
  it('plans in draft never run', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(owner, { status: 'draft' }));
    await expect(t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id })).rejects.toMatchObject({ code: 'Conflict' });
    await t.tick();
    expect(t.host.sent).toHaveLength(0);
  });

  it('a plan switched back to draft holds its enrolled leads until it is Ready again', async () => {
    const { t, plan, lead } = await enrolledLead();
    await t.tick();
    await t.call('plans.setStatus', { id: plan.id, status: 'draft' });
    await t.advance(3 * DAY);
    expect(t.host.sent).toHaveLength(1);
    await t.call('plans.setStatus', { id: plan.id, status: 'ready' });
    await t.tick();
    expect(t.host.sent).toHaveLength(2);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.filter((h) => h.kind === 'sent')).toHaveLength(2);
  });

  it('a plan with enrolled leads cannot be deleted, and the refusal says how many', async () => {
    const { t, plan } = await enrolledLead();
    await expect(t.call('plans.delete', { id: plan.id })).rejects.toMatchObject({ code: 'Conflict', details: { enrolled: 1 } });
  });

  it('a Ready plan with an email lacking a subject cannot be saved', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const bad = aPlan(owner, { steps: [emailStep({ subject: '' })] as never });
    await expect(t.call('plans.create', bad)).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: { issues: [{ path: 'steps.0.subject' }] },
    });
  });

  it('an unknown merge field is refused when saving, naming the field', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const bad = aPlan(owner, { steps: [emailStep({ body: 'Hi {{lead.nickname}}' })] as never });
    await expect(t.call('plans.create', bad)).rejects.toThrow('Unknown merge field {{lead.nickname}}');
  });

  it('a lead cannot be in the same plan twice at once', async () => {
    const { t, lead, plan } = await enrolledLead();
    await expect(t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id })).rejects.toMatchObject({ code: 'Conflict' });
  });
});

describe('enrollment transitions', () => {
  it('resume continues at the same step and shifts remaining delays by the paused time', async () => {
    const { t, lead, enrollment } = await enrolledLead();
    await t.tick();
    await t.advance(1 * DAY);
    await t.call('enrollments.apply', { id: enrollment.id, action: 'pause' });
    await t.advance(3 * DAY);
    expect(t.host.sent).toHaveLength(1);
    await t.call('enrollments.apply', { id: enrollment.id, action: 'resume' });
    const [next] = await t.call('leads.upcoming', { leadId: lead.id });
    // Due at day 2 originally; paused for 3 days → day 5.
    expect(next!.dueAt).toBe(T0 + 5 * DAY);
  });

  it('a completed enrollment restarts from step one and sends it again', async () => {
    const { t, enrollment } = await enrolledLead();
    await t.tick();
    await t.advance(2 * DAY);
    expect((await t.db.enrollments.get(enrollment.id))?.state).toBe('completed');
    await t.call('enrollments.apply', { id: enrollment.id, action: 'restart' });
    await t.tick();
    expect(t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Checking in, Ann', 'Hello Ann']);
  });

  it('a refused transition says which actions are allowed', async () => {
    const { t, enrollment } = await enrolledLead();
    await expect(t.call('enrollments.apply', { id: enrollment.id, action: 'resume' })).rejects.toThrow('it can pause, stop or remove');
  });

  it('stop records who stopped it and nothing more is sent', async () => {
    const { t, enrollment } = await enrolledLead();
    await t.tick();
    await t.call('enrollments.apply', { id: enrollment.id, action: 'stop' });
    await t.advance(5 * DAY);
    expect(t.host.sent).toHaveLength(1);
    expect((await t.db.enrollments.get(enrollment.id))?.exitReason).toBe('stopped by Me');
  });
});

describe('delivery problems', () => {
  it('an unreachable mail server keeps the message, tells the lead history in words, and sends it once when back', async () => {
    const { t, lead } = await enrolledLead();
    t.host.failWith = deliveryError('SmtpUnreachable', true);
    await t.tick();
    await t.advance(HOUR);
    expect(t.host.sent).toHaveLength(0);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.filter((h) => h.kind === 'deliveryProblem')).toHaveLength(1);
    t.host.failWith = null;
    await t.advance(2 * HOUR);
    await t.advance(2 * HOUR);
    expect(t.host.sent).toHaveLength(1);
    const [m] = await t.call('outbox.list', { leadId: lead.id, limit: 10 });
    expect(m!.status).toBe('sent');
  });

  it('without an email account the message waits and the history says to add one', async () => {
    const t = await startEngine({ emailAccount: false });
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(await currentUserId(t)));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    const problem = (await t.call('leads.history', { leadId: lead.id })).find((h) => h.kind === 'deliveryProblem');
    expect(problem?.summary).toContain('No email account is set up');
    const [m] = await t.call('outbox.list', { leadId: lead.id, limit: 1 });
    expect(m!.status).toBe('queued');
  });

  it('a refused recipient fails for good with the server’s words in history', async () => {
    const { t, lead } = await enrolledLead();
    t.host.failWith = deliveryError('SmtpRecipientRefused', false, '550 5.1.1 User unknown');
    await t.tick();
    const [m] = await t.call('outbox.list', { leadId: lead.id, limit: 10 });
    expect(m!.status).toBe('failed');
    const failed = (await t.call('leads.history', { leadId: lead.id })).find((h) => h.kind === 'failed');
    expect(failed?.detail).toBe('550 5.1.1 User unknown');
  });

  it('pause all sending holds messages and resumes where it was', async () => {
    const { t } = await enrolledLead();
    await t.call('settings.sending.set', { paused: true });
    await t.tick();
    expect(t.host.sent).toHaveLength(0);
    await t.call('settings.sending.set', { paused: false });
    await t.tick();
    expect(t.host.sent).toHaveLength(1);
  });

  it('a message left "sending" by a crash is not lost: it goes back to the queue on start', async () => {
    const { t, lead } = await enrolledLead();
    await t.tick();
    const [m] = await t.call('outbox.list', { leadId: lead.id, limit: 1 });
    // The state a crash between "claimed" and "sent" leaves behind.
    await t.db.outbox.update(m!.id, { status: 'sending', sentAt: null, nextAttemptAt: T0 });
    const { recoverInterrupted } = await import('../../../src-renderer/engine/outbox/dispatcher');
    expect(await recoverInterrupted(t.engine.deps)).toBe(1);
    expect((await t.db.outbox.get(m!.id))?.status).toBe('queued');
  });
});

describe('validation at the door', () => {
  it('a lead with a bad email and phone is refused with both fields named', async () => {
    const t = await startEngine();
    await expect(t.call('leads.create', aLead({ email: 'not-an-email', phone: '555-1234' }))).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: { issues: [{ path: 'email' }, { path: 'phone' }] },
    });
    expect(await t.db.leads.count()).toBe(0);
  });

  it('an unknown plan id is reported as not found', async () => {
    const t = await startEngine();
    await expect(t.call('plans.get', { id: 'nope' })).rejects.toMatchObject({ code: 'NotFound' });
  });
});

import { describe, expect, it } from 'vitest';
import { email, step, world } from './engine-helpers';
import { DAY, deliveryError, HOUR, MINUTE, T0 } from './harness';

const after = (amount: number, unit: 'minutes' | 'hours' | 'days') => ({ kind: 'after' as const, amount, unit });

describe('triggers and bulk assignment', () => {
  it('a plan with a source trigger enrolls a new lead from that source', async () => {
    const w = await world();
    const plan = await w.plan([email()], { triggers: { sources: ['Zillow'], stages: [], tags: [] } });
    const lead = await w.lead({ source: 'Zillow' });
    const [e] = await w.enrollments(lead.id);
    expect(e).toMatchObject({ planId: plan.id, enrolledBy: { kind: 'trigger', planId: plan.id } });
    const other = await w.lead({ source: 'Website' });
    expect(await w.enrollments(other.id)).toEqual([]);
  });

  it('a stage or tag trigger fires when the lead changes to it, once', async () => {
    const w = await world();
    await w.plan([email({ timing: after(1, 'days') })], { name: 'Hot leads', triggers: { sources: [], stages: [], tags: ['hot'] } });
    await w.plan([email({ timing: after(1, 'days') })], { name: 'Nurture', triggers: { sources: [], stages: ['Nurture'], tags: [] } });
    const lead = await w.lead();
    const { id: _i, optOuts: _o, createdAt: _c, updatedAt: _u, createdBy: _b, ...fields } = lead;
    await w.t.call('leads.update', { id: lead.id, fields: { ...fields, tags: ['hot'], stage: 'Nurture' } });
    await w.t.call('leads.update', { id: lead.id, fields: { ...fields, tags: ['hot', 'buyer'], stage: 'Nurture' } });
    expect((await w.enrollments(lead.id)).map((e) => e.planName).sort()).toEqual(['Hot leads', 'Nurture']);
  });

  it('a tag added by a plan step fires another plan’s trigger', async () => {
    const w = await world();
    const hot = await w.plan([email({ subject: 'Hot' })], { name: 'Hot', triggers: { sources: [], stages: [], tags: ['hot'] } });
    const tagger = await w.plan([step({ kind: 'addTags', tags: ['hot'] })], { name: 'Tagger' });
    const lead = await w.lead();
    await w.enroll(lead.id, tagger.id);
    await w.t.tick();
    expect((await w.enrollments(lead.id)).find((e) => e.planId === hot.id)).toBeDefined();
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hot']);
  });

  it('bulk assignment shows how many leads match before enrolling them all', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'days') })], { allowRestart: false });
    for (const tags of [['buyer'], ['buyer', 'hot'], ['seller'], ['buyer']]) await w.lead({ tags });
    const first = (await w.t.call('leads.list', {})).rows.find((l) => l.tags.includes('hot'))!;
    await w.enroll(first.id, plan.id);
    const preview = await w.t.call('enrollments.bulkPreview', { planId: plan.id, tags: ['buyer'] });
    expect(preview).toEqual({ matching: 3, willEnroll: 2, alreadyInPlan: 1, notAllowedAgain: 0 });
    expect(await w.t.call('enrollments.bulkEnroll', { planId: plan.id, tags: ['buyer'] })).toEqual({ enrolled: 2, skipped: 1 });
    expect((await w.t.call('plans.list', {}))[0]!.counts.active).toBe(3);
  });

  it('a bulk assignment by a lender counts each lead against the daily manual-assignment cap', async () => {
    const w = await world();
    await w.t.call('team.settings.set', { personalPlans: false, preferredLender: false, manualAutomated: true });
    const lender = (await w.t.call('team.users.add', { name: 'Leo Lender', role: 'lender' })).id;
    const plan = await w.plan([email({ timing: after(1, 'days') })], { scope: { kind: 'account' } });
    for (let i = 0; i < 3; i++) await w.lead({ tags: ['buyer'], assignees: { lender } });
    expect(await w.t.call('enrollments.bulkEnroll', { planId: plan.id, tags: ['buyer'] }, lender)).toEqual({ enrolled: 3, skipped: 0 });
    expect((await w.t.call('team.rights', {}, lender)).quota.used).toBe(3);
  });

  it('a bulk assignment without any tag, stage or source is refused', async () => {
    const w = await world();
    const plan = await w.plan([email()]);
    await expect(w.t.call('enrollments.bulkPreview', { planId: plan.id })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });
});

describe('missed runs (the machine was off)', () => {
  async function missed(policy: 'sendLate' | 'skip' | 'task' | 'review') {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'hours') })], { misfire: { policy, graceHours: 2 } });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(6 * HOUR); // the laptop slept through the due time by 5 hours
    return { w, lead };
  }

  it('send late: the overdue message goes out on wake-up and history says it was late', async () => {
    const { w, lead } = await missed('sendLate');
    expect(w.t.host.sent).toHaveLength(1);
    expect((await w.history(lead.id)).join('\n')).toContain('runs late: it was due 5 h ago while the app was not running');
  });

  it('skip: the overdue message is skipped and recorded', async () => {
    const { w, lead } = await missed('skip');
    expect(w.t.host.sent).toHaveLength(0);
    expect((await w.history(lead.id)).join('\n')).toContain('this plan skips missed steps');
  });

  it('task: the overdue message becomes a task to contact the lead by hand', async () => {
    const { w, lead } = await missed('task');
    expect(w.t.host.sent).toHaveLength(0);
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    expect(task).toMatchObject({ kind: 'todo', title: 'Missed: Email "Hello Ann" to ann@example.com' });
    expect((await w.history(lead.id)).join('\n')).toContain('a task was made instead');
  });

  it('review: the overdue message waits in the review queue until the user sends it', async () => {
    const { w, lead } = await missed('review');
    expect(w.t.host.sent).toHaveLength(0);
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    expect(task!.kind).toBe('reviewEmail');
    await w.t.call('tasks.sendNow', { id: task!.id });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('a message only a little late (within the grace) is just sent', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'hours') })], { misfire: { policy: 'skip', graceHours: 2 } });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(2 * HOUR);
    expect(w.t.host.sent).toHaveLength(1);
  });
});

describe('review and traditional plans', () => {
  it('traditional plans turn messages into review tasks; "send now" sends it', async () => {
    const w = await world();
    const plan = await w.plan([email()], { type: 'traditional' });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(0);
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    expect(task).toMatchObject({ kind: 'reviewEmail', title: 'Review and send: Email "Hello Ann" to ann@example.com' });
    expect((await w.t.call('outbox.list', { leadId: lead.id }))[0]!.status).toBe('held');
    await w.t.call('tasks.sendNow', { id: task!.id });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('a step can wait until the previous task is done', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'task', title: 'Call' }), email({ waitForPreviousTask: true, timing: after(1, 'hours') })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(0);
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    await w.t.call('tasks.complete', { id: task!.id });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('review first holds the message; closing the review task without sending cancels it, recorded', async () => {
    const w = await world();
    const plan = await w.plan([email({ review: { mode: 'reviewFirst' } })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    await w.t.call('tasks.complete', { id: task!.id });
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(0);
    expect((await w.history(lead.id)).join('\n')).toContain('not sent: its review task was closed');
  });

  it('send unless reviewed within N hours: it goes by itself after N hours, or at once on "send now"', async () => {
    const w = await world();
    const plan = await w.plan([email({ review: { mode: 'sendUnlessReviewed', hours: 4 } })]);
    const a = await w.lead();
    const b = await w.lead({ email: 'bob@example.com', firstName: 'Bob' });
    await w.enroll(a.id, plan.id);
    await w.enroll(b.id, plan.id);
    await w.t.tick();
    const [taskB] = await w.t.call('tasks.list', { leadId: b.id });
    await w.t.call('tasks.sendNow', { id: taskB!.id });
    await w.t.advance(MINUTE);
    expect(w.t.host.sent.map((s) => s.message.to)).toEqual(['bob@example.com']);
    await w.t.advance(4 * HOUR);
    expect(w.t.host.sent.map((s) => s.message.to)).toEqual(['bob@example.com', 'ann@example.com']);
  });
});

describe('send windows, quiet hours and caps', () => {
  it('a plan send window defers a message to the next weekday window, recorded', async () => {
    // Sat 2026-04-18 12:00 New York: the weekday 09:00-18:00 window opens Mon 09:00 (13:00 UTC).
    const w = await world({ at: Date.UTC(2026, 3, 18, 16, 0) });
    const plan = await w.plan([email()], { sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(0);
    const [e] = await w.enrollments(lead.id);
    expect(e!.nextDueAt).toBe(Date.UTC(2026, 3, 20, 13, 0));
    expect((await w.history(lead.id)).join('\n')).toContain(
      "waits until Mon 20 Apr 09:00 lead time: outside the plan's send window (weekdays 09:00–18:00 lead time)",
    );
  });

  it('email quiet hours from the settings defer a message to the morning in the lead’s zone', async () => {
    const w = await world({ at: Date.UTC(2026, 3, 15, 3, 0) }); // 23:00 in New York
    await w.t.call('settings.sendPolicy.set', { allowedHours: { email: { start: '08:00', end: '21:00' }, sms: null }, dailyTouchCap: 0 });
    const plan = await w.plan([email()]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect((await w.enrollments(lead.id))[0]!.nextDueAt).toBe(Date.UTC(2026, 3, 15, 12, 0));
  });

  it('the per-lead daily cap across plans carries extra messages over to the next day instead of dropping them', async () => {
    const w = await world();
    await w.t.call('settings.sendPolicy.set', { allowedHours: { email: null, sms: null }, dailyTouchCap: 2 });
    const a = await w.plan([email({ subject: 'A1' }), email({ subject: 'A2' })], { name: 'A' });
    const b = await w.plan([email({ subject: 'B1' })], { name: 'B' });
    const lead = await w.lead();
    await w.enroll(lead.id, a.id);
    await w.enroll(lead.id, b.id);
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(2);
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(3);
    expect((await w.history(lead.id)).join('\n')).toContain('daily limit); carried over');
  });

  it('an opted-out channel is skipped and recorded', async () => {
    const w = await world();
    const plan = await w.plan([email()]);
    const lead = await w.lead();
    await w.t.db.leads.update(lead.id, { optOuts: { email: true, sms: false } });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(0);
    expect((await w.history(lead.id)).join('\n')).toContain('Skipped "Step 1" of "Plan": the lead opted out of email');
  });

  it('the account-wide pause holds every message; nothing is lost and it resumes where it was', async () => {
    const w = await world();
    const plan = await w.plan([email()]);
    const lead = await w.lead();
    await w.t.call('settings.sending.set', { paused: true });
    await w.enroll(lead.id, plan.id);
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(0);
    await w.t.call('settings.sending.set', { paused: false });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('a message that fails for good makes a notification, a history note and keeps its diagnostics', async () => {
    const w = await world();
    const plan = await w.plan([email()]);
    const lead = await w.lead();
    w.t.host.failWith = deliveryError('SmtpRecipientRefused', false, '550 5.1.1 User unknown');
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const outbox = await w.t.call('outbox.list', { leadId: lead.id });
    const failed = outbox.find((m) => m.channel === 'email')!;
    expect(failed).toMatchObject({ status: 'failed', lastError: { response: '550 5.1.1 User unknown' } });
    expect(outbox.find((m) => m.channel === 'notification')).toMatchObject({
      notification: { title: 'Message failed', body: expect.stringContaining('Email "Hello Ann"') as string },
    });
    expect((await w.history(lead.id)).join('\n')).toContain('Email "Hello Ann" to ann@example.com failed');
  });
});

describe('preview', () => {
  it('shows the exact calendar for a start time and zone, after windows, quiet hours and caps', async () => {
    const w = await world();
    const plan = await w.plan(
      [
        email({ name: 'Welcome' }),
        step({ kind: 'task', name: 'Call', title: 'Call', timing: after(1, 'hours') }),
        email({ name: 'Saturday email', timing: { kind: 'onDay', day: 3, time: '10:00', businessDaysOnly: false } }),
        email({ name: 'Closing reminder', timing: { kind: 'beforeEvent', event: 'closing', amount: 1, unit: 'days' } }),
      ],
      { sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } },
    );
    // Thu 2026-04-16 20:00 in New York.
    const preview = await w.t.call('plans.preview', {
      planId: plan.id,
      startAt: Date.UTC(2026, 3, 17, 0, 0),
      timeZone: 'America/New_York',
    });
    expect(preview.entries.map((e) => [e.stepName, e.status, e.firesAtLocal])).toEqual([
      ['Welcome', 'deferred', 'Fri 17 Apr 2026 09:00 EDT'],
      ['Call', 'fires', 'Fri 17 Apr 2026 09:00 EDT'],
      ['Saturday email', 'deferred', 'Mon 20 Apr 2026 09:00 EDT'],
      ['Closing reminder', 'skipped', null],
    ]);
    expect(preview.entries[3]!.reasons).toEqual(['the lead has no "closing" date']);
  });

  it('the preview for a lead matches what the scheduler then does', async () => {
    const w = await world();
    await w.t.call('settings.sendPolicy.set', { allowedHours: { email: null, sms: null }, dailyTouchCap: 1 });
    const plan = await w.plan([
      email({ subject: 'One' }),
      email({ subject: 'Two', timing: after(1, 'hours') }),
      email({ subject: 'Three', timing: after(1, 'days') }),
    ]);
    const lead = await w.lead();
    const preview = await w.t.call('plans.preview', { planId: plan.id, leadId: lead.id, startAt: T0 });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    for (let i = 0; i < 4 * 24; i++) await w.t.advance(HOUR);
    const sentAt = (await w.t.call('outbox.list', { leadId: lead.id })).map((m) => m.createdAt).sort();
    expect(sentAt).toEqual(preview.entries.map((e) => e.firesAt));
  });
});

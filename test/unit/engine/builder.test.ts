import { describe, expect, it } from 'vitest';
import type { EnrollmentId } from '@shared/model/ids';
import { bulkApply } from '../../../src-renderer/engine/enrollments-bulk/app';
import { aLead, aPlan, currentUserId, DAY, emailStep, startEngine, T0 } from './harness';

async function planWithLeads(n: number) {
  const t = await startEngine();
  const owner = await currentUserId(t);
  const plan = await t.call('plans.create', aPlan(owner));
  const ids: EnrollmentId[] = [];
  for (let i = 0; i < n; i++) {
    const lead = await t.call('leads.create', aLead({ firstName: `Lead${i}`, email: `lead${i}@example.com` }));
    ids.push((await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id })).id);
  }
  return { t, owner, plan, ids };
}

describe('plan list actions', () => {
  it('a plan with enrolled leads is deleted after "remove all leads"', async () => {
    const { t, plan } = await planWithLeads(3);
    await expect(t.call('plans.delete', { id: plan.id })).rejects.toMatchObject({ code: 'Conflict', details: { enrolled: 3 } });
    const result = await t.call('enrollments.removeAllFromPlan', { planId: plan.id });
    expect(result).toMatchObject({ total: 3, done: 3, refused: [] });
    await expect(t.call('plans.delete', { id: plan.id })).resolves.toEqual({ deleted: true });
  });
});

describe('leads by state and bulk actions', () => {
  it('the state table lists the plan’s leads in that state with their next step', async () => {
    const { t, plan, ids } = await planWithLeads(3);
    await t.call('enrollments.apply', { id: ids[0]!, action: 'pause' });
    const active = await t.call('enrollments.byPlanState', { planId: plan.id, state: 'active' });
    const paused = await t.call('enrollments.byPlanState', { planId: plan.id, state: 'paused' });
    expect(active.total).toBe(2);
    expect(paused.rows.map((r) => r.leadName)).toEqual(['Lead0 Lee']);
    expect(paused.rows[0]!.nextStepLabel).toBe('Step 1');
  });

  it('pausing two leads at once pauses both, and resuming brings them back', async () => {
    const { t, plan, ids } = await planWithLeads(3);
    const paused = await t.call('enrollments.bulkApply', { ids: ids.slice(0, 2), action: 'pause' });
    expect(paused).toEqual({ total: 2, done: 2, refused: [] });
    const counts = (await t.call('plans.list', {}))[0]!.counts;
    expect(counts).toMatchObject({ active: 1, paused: 2 });
    await t.call('enrollments.bulkApply', { ids: ids.slice(0, 2), action: 'resume' });
    expect((await t.call('plans.list', {}))[0]!.counts).toMatchObject({ active: 3, paused: 0 });
    expect(plan.id).toBeTruthy();
  });

  it('a bulk action refuses the leads the state machine does not allow, says why, and does the rest', async () => {
    const { t, ids } = await planWithLeads(3);
    await t.call('enrollments.apply', { id: ids[0]!, action: 'pause' });
    const result = await t.call('enrollments.bulkApply', { ids, action: 'resume' });
    expect(result.done).toBe(1);
    expect(result.refused).toHaveLength(2);
    expect(result.refused[0]!.reason).toBe('An active enrollment cannot resume; it can pause, stop or remove.');
  });

  it('a large bulk action reports its progress chunk by chunk until all are done', async () => {
    const { t, ids } = await planWithLeads(120);
    const events: { done: number; total: number }[] = [];
    const user = (await t.call('session.get', {})).currentUser;
    const actor = { kind: 'user' as const, userId: user.id, name: user.name };
    const result = await bulkApply(t.engine.deps, (_n, p) => events.push(p as { done: number; total: number }), ids, 'stop', actor, 'job');
    expect(result.done).toBe(120);
    expect(events.map((e) => e.done)).toEqual([50, 100, 120]);
    expect(events.every((e) => e.total === 120)).toBe(true);
  });
});

describe('timeline preview', () => {
  it('shows each step at its due time in the lead’s zone', async () => {
    const { t } = await planWithLeads(0);
    const lead = await t.call('leads.create', aLead());
    const steps = [emailStep(), emailStep({ timing: { kind: 'after', amount: 2, unit: 'days' } })];
    const timeline = await t.call('plans.timeline', { steps, leadId: lead.id });
    expect(timeline.timeZone).toBe('America/New_York');
    expect(timeline.entries.map((e) => e.at)).toEqual([T0, T0 + 2 * DAY]);
  });

  it('a step whose time of day has passed on the enrollment day runs right away', async () => {
    const { t } = await planWithLeads(0);
    // T0 is 10:00 in New York: "Day 1 at 09:00" has passed.
    const steps = [{ id: 's1', kind: 'email', name: '', timing: { kind: 'onDay' as const, day: 1, time: '09:00' } }];
    const timeline = await t.call('plans.timeline', { steps, startAt: T0, timeZone: 'America/New_York' });
    expect(timeline.entries[0]).toMatchObject({ at: T0, status: 'scheduled' });
    expect(timeline.entries[0]!.note).toContain('runs right away');
  });

  it('a text due in the night waits for the morning (quiet hours) and says so', async () => {
    const { t } = await planWithLeads(0);
    // T0 is 10:00 in New York; 12 hours later is 22:00, inside quiet hours: moved to 08:00 next day.
    const steps = [{ id: 's1', kind: 'sms', name: '', timing: { kind: 'after' as const, amount: 12, unit: 'hours' as const } }];
    const timeline = await t.call('plans.timeline', { steps, startAt: T0, timeZone: 'America/New_York' });
    const entry = timeline.entries[0]!;
    expect(entry.status).toBe('deferred');
    expect(entry.at).toBe(T0 + 22 * 3_600_000);
    expect(entry.note).toContain('Quiet hours');
  });

  it('a before-event step whose time has passed at enrollment is shown as skipped', async () => {
    const { t } = await planWithLeads(0);
    const lead = await t.call('leads.create', aLead({ eventDates: { closing: '2026-04-16' } }));
    const steps = [
      {
        id: 'a',
        kind: 'email',
        name: 'Week before',
        timing: { kind: 'beforeEvent' as const, event: 'closing', amount: 7, unit: 'days' as const },
      },
      {
        id: 'b',
        kind: 'email',
        name: 'Day after',
        timing: { kind: 'afterEvent' as const, event: 'closing', amount: 1, unit: 'days' as const },
      },
      {
        id: 'c',
        kind: 'email',
        name: 'Birthday',
        timing: { kind: 'afterEvent' as const, event: 'birthday', amount: 0, unit: 'days' as const },
      },
    ];
    const timeline = await t.call('plans.timeline', { steps, leadId: lead.id });
    expect(timeline.entries.map((e) => e.status)).toEqual(['skipped', 'scheduled', 'noDate']);
    expect(timeline.entries[0]!.note).toContain('has passed before the lead was enrolled');
  });
});

describe('templates and signature', () => {
  it('a saved template is listed by kind and previews with the lead’s own details', async () => {
    const { t } = await planWithLeads(0);
    const lead = await t.call('leads.create', aLead());
    await t.call('templates.save', { kind: 'email', name: 'Welcome', subject: 'Hi {{lead.firstName}}', body: 'Welcome {{lead.fullName}}' });
    await t.call('templates.save', { kind: 'sms', name: 'Text hello', body: 'Hey {{lead.firstName}}' });
    const emails = await t.call('templates.list', { kind: 'email' });
    expect(emails.map((e) => e.name)).toEqual(['Welcome']);
    const preview = await t.call('templates.preview', { leadId: lead.id, subject: emails[0]!.subject, body: emails[0]!.body });
    expect(preview).toEqual({ subject: 'Hi Ann', body: 'Welcome Ann Lee', problems: [] });
  });

  it('a template with an unknown merge field is refused with the field named', async () => {
    const { t } = await planWithLeads(0);
    await expect(t.call('templates.save', { kind: 'sms', name: 'Bad', body: 'Hi {{lead.nickname}}' })).rejects.toMatchObject({
      code: 'ValidationFailed',
      message: 'The template cannot be saved: Unknown merge field {{lead.nickname}}',
    });
  });

  it('each user keeps their own email signature', async () => {
    const { t } = await planWithLeads(0);
    expect(await t.call('templates.signature.get', {})).toEqual({ signature: '' });
    await t.call('templates.signature.set', { signature: 'Jane Agent\nBright Homes' });
    expect(await t.call('templates.signature.get', {})).toEqual({ signature: 'Jane Agent\nBright Homes' });
  });
});

import { describe, expect, it } from 'vitest';
import type { UserId } from '@shared/model/ids';
import { email, step, world } from './engine-helpers';
import { DAY, HOUR, T0 } from './harness';

describe('step kinds', () => {
  it('a task step puts a contact reminder on the agent’s list, with merge fields', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'task', title: 'Call {{lead.firstName}} about financing' })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const tasks = await w.t.call('tasks.list', { until: T0 + DAY });
    expect(tasks.map((x) => [x.kind, x.title])).toEqual([['todo', 'Call Ann about financing']]);
    expect(tasks[0]!.assigneeId).toBe(w.owner);
  });

  it('an automated call step makes a call task with its script', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'automatedCall', title: 'Intro call', script: 'Ask about {{lead.source}}' })]);
    const lead = await w.lead({ source: 'Zillow' });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const [task] = await w.t.call('tasks.list', { leadId: lead.id });
    expect(task).toMatchObject({ kind: 'call', title: 'Intro call', notes: 'Ask about Zillow' });
  });

  it('add and remove tags change the lead’s tags and say so in history', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'addTags', tags: ['hot', 'buyer'] }), step({ kind: 'removeTags', tags: ['cold'] })]);
    const lead = await w.lead({ tags: ['cold', 'buyer'] });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect((await w.t.call('leads.get', { id: lead.id })).tags).toEqual(['buyer', 'hot']);
    expect(await w.history(lead.id)).toEqual(expect.arrayContaining(['Tags added: hot', 'Tags removed: cold']));
  });

  it('change stage and change contact type update the lead (contact type defaults to Lead)', async () => {
    const w = await world();
    const plan = await w.plan([
      step({ kind: 'changeStage', stage: 'Nurture' }),
      step({ kind: 'changeContactType', contactType: 'Client' }),
    ]);
    const lead = await w.lead();
    expect(lead.contactType).toBe('Lead');
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(await w.t.call('leads.get', { id: lead.id })).toMatchObject({ stage: 'Nurture', contactType: 'Client' });
    expect(await w.history(lead.id)).toEqual(
      expect.arrayContaining(['Stage changed from "New" to "Nurture"', 'Contact type changed from "Lead" to "Client"']),
    );
  });

  it('add note writes the merged note on the lead’s timeline', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'addNote', note: '{{lead.firstName}} came from {{lead.source}}' })]);
    const lead = await w.lead({ source: 'Open house' });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(await w.history(lead.id)).toContain('Ann came from Open house');
  });

  it('assign and unassign user set the lead’s lender', async () => {
    const w = await world();
    const plan = await w.plan([
      step({ kind: 'assignUser', role: 'lender', userId: w.owner }),
      step({ kind: 'unassignUser', role: 'lender', timing: { kind: 'after', amount: 1, unit: 'days' } }),
    ]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect((await w.t.call('leads.get', { id: lead.id })).assignees.lender).toBe(w.owner);
    await w.t.advance(DAY);
    expect((await w.t.call('leads.get', { id: lead.id })).assignees.lender).toBeUndefined();
  });

  it('assign plan enrolls the lead in the other plan, by the plan step', async () => {
    const w = await world();
    const other = await w.plan([email({ timing: { kind: 'after', amount: 1, unit: 'days' } })], { name: 'Nurture' });
    const plan = await w.plan([step({ kind: 'assignPlan', planId: other.id })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const rows = await w.enrollments(lead.id);
    const nurture = rows.find((e) => e.planName === 'Nurture');
    expect(nurture).toMatchObject({ state: 'active', enrolledBy: { kind: 'step' } });
  });

  it('pause plan pauses that plan for the lead; pause all plans pauses every other plan', async () => {
    const w = await world();
    const a = await w.plan([email({ timing: { kind: 'after', amount: 3, unit: 'days' } })], { name: 'A' });
    const b = await w.plan([email({ timing: { kind: 'after', amount: 3, unit: 'days' } })], { name: 'B' });
    const pauser = await w.plan([
      step({ kind: 'pausePlan', planId: a.id }),
      step({ kind: 'pauseAllPlans', timing: { kind: 'after', amount: 1, unit: 'hours' } }),
    ]);
    const lead = await w.lead();
    await w.enroll(lead.id, a.id);
    await w.enroll(lead.id, b.id);
    await w.enroll(lead.id, pauser.id);
    await w.t.tick();
    const states = async () => Object.fromEntries((await w.enrollments(lead.id)).map((e) => [e.planName, e.state]));
    expect(await states()).toMatchObject({ A: 'paused', B: 'active' });
    await w.t.advance(HOUR);
    expect(await states()).toMatchObject({ A: 'paused', B: 'paused', Plan: 'completed' });
  });

  it('a plan paused by another plan’s step that ran just before it in the same pass does not send', async () => {
    const w = await world();
    const pauser = await w.plan([step({ kind: 'pauseAllPlans', timing: { kind: 'after', amount: 1, unit: 'hours' } })], { name: 'Pauser' });
    const mail = await w.plan([email({ timing: { kind: 'after', amount: 90, unit: 'minutes' } })], { name: 'Mail' });
    const lead = await w.lead();
    await w.enroll(lead.id, pauser.id);
    await w.enroll(lead.id, mail.id);
    await w.t.tick();
    // The computer was asleep: both steps are due when it wakes, and run in one pass, in due order.
    await w.t.advance(3 * HOUR);
    const states = Object.fromEntries((await w.enrollments(lead.id)).map((e) => [e.planName, e.state]));
    expect(states).toMatchObject({ Pauser: 'completed', Mail: 'paused' });
    expect(w.t.host.sent).toHaveLength(0);
  });

  it('catching up on more due steps than one pass holds, a lead’s steps across plans still run in due order', async () => {
    const w = await world();
    const tag = (minutes: number) => step({ kind: 'addTags', tags: ['seen'], timing: { kind: 'after', amount: minutes, unit: 'minutes' } });
    const filler = await w.plan([tag(10)], { name: 'Filler' });
    const mail = await w.plan([tag(5), email({ timing: { kind: 'after', amount: 40, unit: 'minutes' } })], { name: 'Mail' });
    const pauser = await w.plan([step({ kind: 'pausePlan', planId: mail.id, timing: { kind: 'after', amount: 20, unit: 'minutes' } })], {
      name: 'Pauser',
    });
    const lead = await w.lead();
    await w.enroll(lead.id, mail.id);
    await w.enroll(lead.id, pauser.id);
    // More leads due at +10 min than a scheduler pass reads at once (100): Pauser's step (+20 min) is
    // not in the first pass, and Mail's email (+40 min) must not run before it although both are past.
    for (let i = 0; i < 100; i++) await w.enroll((await w.lead({ email: `filler${i}@example.com` })).id, filler.id);
    await w.t.advance(HOUR);
    const states = Object.fromEntries((await w.enrollments(lead.id)).map((e) => [e.planName, e.state]));
    expect(states).toMatchObject({ Pauser: 'completed', Mail: 'paused' });
    expect(w.t.host.sent).toHaveLength(0);
  });

  it('repeat plan starts the plan again from step one as a new iteration', async () => {
    const w = await world();
    const plan = await w.plan([email(), step({ kind: 'repeatPlan', timing: { kind: 'after', amount: 7, unit: 'days' } })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await w.t.advance(7 * DAY);
    expect(w.t.host.sent).toHaveLength(2);
    const [e] = await w.enrollments(lead.id);
    expect(e).toMatchObject({ state: 'active', iteration: 2 });
  });

  it('a step that assigns a user who was deleted fails for that enrollment only, and the scheduler goes on', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'assignUser', role: 'lender', userId: w.owner }), email()]);
    const lead = await w.lead();
    await w.t.db.plans.update(plan.id, {
      steps: plan.steps.map((s) => (s.kind === 'assignUser' ? { ...s, userId: 'gone' as UserId } : s)),
    });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(await w.history(lead.id)).toContain('"Step 1" of "Plan" failed: the user to assign as lender no longer exists');
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('saving a plan that refers to a deleted plan or user is refused with the field named', async () => {
    const w = await world();
    const err = await w
      .plan([step({ kind: 'assignPlan', planId: 'nope' }), step({ kind: 'assignUser', role: 'lender', userId: 'nobody' })])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ValidationFailed' });
    const issues = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(issues).toEqual(['steps.0.planId', 'steps.1.userId']);
  });

  it('an unknown merge field in a task title is refused at save', async () => {
    const w = await world();
    await expect(w.plan([step({ kind: 'task', title: 'Call {{lead.nickname}}' })])).rejects.toMatchObject({
      message: expect.stringContaining('Unknown merge field {{lead.nickname}}') as string,
    });
  });
});

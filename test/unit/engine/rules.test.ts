import { describe, expect, it } from 'vitest';
import type { StepInput } from '@shared/model/plan';
import type { Enrollment } from '@shared/model/enrollment';
import type { StepId } from '@shared/model/ids';
import { TRANSITIONS } from '../../../src-renderer/engine/enrollments/state-machine';
import { email, step, world } from './engine-helpers';
import { DAY, executionsIn, HOUR, MINUTE, T0 } from './harness';

const after = (amount: number, unit: 'minutes' | 'hours' | 'days') => ({ kind: 'after' as const, amount, unit });

describe('DESIGN §3 rules', () => {
  it('enrollment transitions are exactly: active → pause/stop/remove; paused → resume/remove; stopped → restart/remove; completed → restart', () => {
    const allowed = Object.fromEntries(Object.entries(TRANSITIONS).map(([from, to]) => [from, Object.keys(to).sort()]));
    expect(allowed).toEqual({
      active: ['pause', 'remove', 'stop'],
      paused: ['remove', 'resume'],
      stopped: ['remove', 'restart'],
      completed: ['restart'],
      removed: [],
    });
  });

  it('steps due at the same time run in displayed order', async () => {
    const w = await world();
    const plan = await w.plan([
      step({ kind: 'addNote', note: 'first' }),
      step({ kind: 'addNote', note: 'second', timing: { kind: 'after', amount: 0, unit: 'minutes' } }),
      step({ kind: 'addNote', note: 'third', timing: { kind: 'onDay', day: 1, time: '10:00', businessDaysOnly: false } }),
    ]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const notes = (await w.history(lead.id)).filter((h) => ['first', 'second', 'third'].includes(h));
    expect(notes).toEqual(['first', 'second', 'third']);
  });

  it('a refused transition says what the enrollment can do instead', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'days') })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    await expect(w.t.call('enrollments.apply', { id: e.id, action: 'resume' })).rejects.toMatchObject({
      code: 'Conflict',
      message: 'An active enrollment cannot resume; it can pause, stop or remove.',
    });
  });

  it('resume continues at the same step and shifts remaining delays by the paused time', async () => {
    const w = await world();
    const plan = await w.plan([email(), email({ subject: 'Two', timing: after(2, 'days') })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await w.t.advance(DAY);
    await w.t.call('enrollments.apply', { id: e.id, action: 'pause' });
    await w.t.advance(3 * DAY);
    expect(w.t.host.sent).toHaveLength(1);
    const resumed = await w.t.call('enrollments.apply', { id: e.id, action: 'resume' });
    expect(resumed.nextDueAt).toBe(T0 + 5 * DAY);
    await w.t.advance(DAY - MINUTE);
    expect(w.t.host.sent).toHaveLength(1);
    await w.t.advance(MINUTE);
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Two']);
  });

  it('on resume, event-relative steps stay anchored to the event', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: { kind: 'beforeEvent', event: 'closing', amount: 1, unit: 'days', time: '10:00' } })]);
    const lead = await w.lead({ eventDates: { closing: '2026-04-24' } });
    const e = await w.enroll(lead.id, plan.id);
    await w.t.call('enrollments.apply', { id: e.id, action: 'pause' });
    await w.t.advance(2 * DAY);
    const resumed = await w.t.call('enrollments.apply', { id: e.id, action: 'resume' });
    expect(resumed.nextDueAt).toBe(Date.UTC(2026, 3, 23, 14, 0));
  });

  it('stopped restarts from step one as a new iteration; completed restarts too', async () => {
    const w = await world();
    const plan = await w.plan([email(), email({ subject: 'Two', timing: after(1, 'days') })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await w.t.call('enrollments.apply', { id: e.id, action: 'stop' });
    const restarted = await w.t.call('enrollments.apply', { id: e.id, action: 'restart' });
    expect(restarted).toMatchObject({ state: 'active', iteration: 2, exitReason: null });
    await w.t.tick();
    await w.t.advance(DAY);
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Hello Ann', 'Two']);
    const [done] = await w.enrollments(lead.id);
    expect(done).toMatchObject({ state: 'completed', exitReason: 'completed' });
    await w.t.call('enrollments.apply', { id: e.id, action: 'restart' });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(4);
  });

  it('every ended enrollment records why it ended, with who did it', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'days') })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    const stopped = await w.t.call('enrollments.apply', { id: e.id, action: 'stop' });
    expect(stopped.exitReason).toBe('stopped by Me');
    expect(await w.history(lead.id)).toContain('Stopped: "Plan" by Me');
  });

  it('a lead has at most one live enrollment per plan', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'days') })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await expect(w.enroll(lead.id, plan.id)).rejects.toMatchObject({
      code: 'Conflict',
      message: 'The lead is already in "Plan" (active).',
    });
  });

  it('a plan that does not allow restart takes a lead only once', async () => {
    const w = await world();
    const plan = await w.plan([email()], { allowRestart: false });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    await expect(w.enroll(lead.id, plan.id)).rejects.toMatchObject({ message: '"Plan" does not allow a lead to go through it again.' });
  });

  it('draft plans never run', async () => {
    const w = await world();
    const plan = await w.plan([email()], { status: 'draft' });
    const lead = await w.lead();
    await expect(w.enroll(lead.id, plan.id)).rejects.toMatchObject({ code: 'Conflict' });
    const ready = await w.plan([email()]);
    await w.enroll(lead.id, ready.id);
    await w.t.call('plans.setStatus', { id: ready.id, status: 'draft' });
    await w.t.advance(DAY);
    expect(w.t.host.sent).toHaveLength(0);
    await w.t.call('plans.setStatus', { id: ready.id, status: 'ready' });
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
  });

  it('a plan with enrolled leads cannot be deleted', async () => {
    const w = await world();
    const plan = await w.plan([email({ timing: after(1, 'days') })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await expect(w.t.call('plans.delete', { id: plan.id })).rejects.toMatchObject({
      message: 'This plan has 1 enrolled lead. Remove them from the plan first.',
    });
  });

  it('a before-event step already past at enrollment is skipped and recorded with the reason', async () => {
    const w = await world();
    const plan = await w.plan([
      email({ subject: 'Week before', timing: { kind: 'beforeEvent', event: 'closing', amount: 7, unit: 'days', time: '09:00' } }),
      email({ subject: 'Day before', timing: { kind: 'beforeEvent', event: 'closing', amount: 1, unit: 'days', time: '09:00' } }),
    ]);
    const lead = await w.lead({ eventDates: { closing: '2026-04-17' } });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(0);
    expect((await w.history(lead.id)).join('\n')).toContain(
      'Skipped "Step 1" of "Plan": its time (10 Apr 2026 09:00, before "closing") had already passed when the lead was enrolled',
    );
    await w.t.advance(2 * DAY - HOUR);
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Day before']);
  });

  it('deleting a lead’s event removes that lead’s remaining steps tied to it, each recorded', async () => {
    const w = await world();
    const plan = await w.plan([
      email({ timing: { kind: 'beforeEvent', event: 'closing', amount: 2, unit: 'days' } }),
      email({ timing: { kind: 'afterEvent', event: 'closing', amount: 1, unit: 'days' } }),
    ]);
    const lead = await w.lead({ eventDates: { closing: '2026-05-20' } });
    await w.enroll(lead.id, plan.id);
    const { id: _id, optOuts: _o, createdAt: _c, updatedAt: _u, createdBy: _b, ...fields } = lead;
    await w.t.call('leads.update', { id: lead.id, fields: { ...fields, eventDates: {} } });
    await w.t.tick();
    const history = await w.history(lead.id);
    expect(history.filter((h) => h.includes('the lead has no "closing" date'))).toHaveLength(2);
    expect((await w.enrollments(lead.id))[0]!.state).toBe('completed');
    expect(w.t.host.sent).toHaveLength(0);
  });

  describe('editing a running plan applies to future executions', () => {
    async function running() {
      const w = await world();
      const steps = [
        email({ id: 'a' }),
        email({ id: 'b', subject: 'B', timing: after(1, 'days') }),
        email({ id: 'c', subject: 'C', timing: after(2, 'days') }),
      ];
      const plan = await w.plan(steps);
      const lead = await w.lead();
      await w.enroll(lead.id, plan.id);
      await w.t.tick();
      const edit = (mutate: (s: StepInput[]) => StepInput[]) =>
        w.t.call('plans.update', { id: plan.id, plan: { ...plan, steps: mutate(plan.steps) } });
      return { w, plan, lead, edit };
    }

    it('steps inserted before the position do not run', async () => {
      const { w, edit } = await running();
      await edit((s) => [s[0]!, email({ id: 'x', subject: 'Inserted' }), ...s.slice(1)]);
      await w.t.advance(3 * DAY);
      expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'B', 'C']);
    });

    // The enrollment keeps which steps ran in its iteration; a row without that record (written by an
    // earlier version) or with one of another iteration is judged from the executions instead.
    for (const [label, record] of [
      ['its run record', (r: Enrollment['ran']) => r],
      ['a row without a run record', () => undefined],
      ['a run record of another iteration', () => ({ iteration: 7, stepIds: [] })],
    ] as const) {
      it(`no step runs twice: a position back on a step that ran moves on without running it (${label})`, async () => {
        const { w, lead } = await running();
        const [e] = await w.enrollments(lead.id);
        expect(e!.ran).toEqual({ iteration: 1, stepIds: ['a'] });
        // As a plan edit that maps the position onto an earlier step would leave it.
        await w.t.db.enrollments.update(e!.id, { ran: record(e!.ran), nextStepId: 'a' as StepId, nextDueAt: w.t.clock.now() });
        await w.t.advance(3 * DAY);
        expect(w.t.host.sent.map((m) => m.message.subject)).toEqual(['Hello Ann', 'B', 'C']);
        const [done] = await w.enrollments(lead.id);
        expect(done!.state).toBe('completed');
      });
    }

    it('no step runs twice: a step whose execution an earlier version kept in the executions table is not run again', async () => {
      const { w, lead } = await running();
      const [e] = await w.enrollments(lead.id);
      const { db } = w.t;
      // As a version before store v13 left it: the execution in its own table, the line without it, no run record.
      const [line] = await db.history.orderBy('execution.key').toArray();
      const { execution, ...plain } = line!;
      await db.transaction('rw', db.history, db.executions, db.enrollments, async () => {
        await db.executions.add(execution!);
        await db.history.put(plain);
        await db.enrollments.update(e!.id, { ran: undefined, nextStepId: 'a' as StepId, nextDueAt: w.t.clock.now() });
      });
      expect(await db.history.orderBy('execution.key').count()).toBe(0);
      await w.t.advance(3 * DAY);
      expect(w.t.host.sent.map((m) => m.message.subject)).toEqual(['Hello Ann', 'B', 'C']);
    });

    it('no step runs twice: the store refuses a second execution with the same key', async () => {
      const { w } = await running();
      const [line] = await w.t.db.history.orderBy('execution.key').toArray();
      expect(line!.execution).toMatchObject({ stepId: 'a', iteration: 1, outcome: 'queued' });
      await expect(w.t.db.history.add({ ...line!, id: 'a second line' })).rejects.toMatchObject({ name: 'ConstraintError' });
      expect(await executionsIn(w.t.db)).toHaveLength(1);
    });

    it('a deleted next step is skipped, recorded, and the plan goes on with the next one', async () => {
      const { w, lead, edit } = await running();
      await edit((s) => [s[0]!, s[2]!]);
      await w.t.advance(3 * DAY);
      expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'C']);
      const me = (await w.t.call('session.get', {})).currentUser.name;
      expect(await w.history(lead.id)).toContain(
        `Skipped "Step 2" of "Plan": deleted from the plan by ${me}; continues with step 2 of the edited plan`,
      );
    });

    it('a changed timing re-computes the next due time', async () => {
      const { w, lead, edit } = await running();
      await edit((s) => [s[0]!, { ...s[1]!, timing: after(5, 'hours') }, s[2]!]);
      const [e] = await w.enrollments(lead.id);
      expect(e!.nextDueAt).toBe(T0 + 5 * HOUR);
    });

    it('the edit preview says per lead which steps are gained, lost or moved, before saving', async () => {
      const { w, plan, lead } = await running();
      const preview = await w.t.call('plans.previewEdit', {
        id: plan.id,
        plan: {
          ...plan,
          steps: [plan.steps[0]!, { ...plan.steps[1]!, timing: after(3, 'days') }, email({ id: 'd', name: 'New last step' })],
        },
      });
      expect(preview).toMatchObject({ enrollments: 1, gain: 1, lose: 1, move: 1 });
      expect(preview.leads[0]).toMatchObject({
        leadId: lead.id,
        gained: ['New last step'],
        lost: ['Step 3'],
        moved: [{ stepName: 'Step 2', from: T0 + DAY, to: T0 + 3 * DAY }],
      });
    });
  });

  it('pause-on-reply: a reply marks the enrollment engaged and pauses plans with the flag, with history', async () => {
    const w = await world();
    const pausing = await w.plan([email({ timing: after(1, 'days') })], { name: 'Pausing', pauseOnReply: true });
    const going = await w.plan([email({ timing: after(1, 'days') })], { name: 'Going on', pauseOnReply: false });
    const lead = await w.lead();
    await w.enroll(lead.id, pausing.id);
    await w.enroll(lead.id, going.id);
    expect(await w.t.call('enrollments.recordReply', { leadId: lead.id, channel: 'email' })).toEqual({ engaged: 2, paused: 1 });
    const rows = Object.fromEntries((await w.enrollments(lead.id)).map((e) => [e.planName, [e.state, e.engaged]]));
    expect(rows).toEqual({ Pausing: ['paused', true], 'Going on': ['active', true] });
    expect(await w.history(lead.id)).toEqual(expect.arrayContaining(['The lead replied by email', 'Paused: "Pausing" (the lead replied)']));
    const [summary] = (await w.t.call('plans.list', {})).filter((p) => p.plan.id === pausing.id);
    expect(summary!.counts).toMatchObject({ paused: 1, engaged: 1 });
  });

  it('next plan: on completion the lead is enrolled in the next plan', async () => {
    const w = await world();
    const second = await w.plan([email({ subject: 'Second plan' })], { name: 'Second' });
    const first = await w.plan([email()], { name: 'First', nextPlanId: second.id });
    const lead = await w.lead();
    await w.enroll(lead.id, first.id);
    await w.t.tick();
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Second plan']);
    const rows = Object.fromEntries((await w.enrollments(lead.id)).map((e) => [e.planName, e.exitReason]));
    expect(rows).toEqual({ First: 'chained to plan "Second"', Second: 'completed' });
  });

  it('assignPlan loops are reported as a cycle instead of running forever', async () => {
    const w = await world();
    const a = await w.plan([email({ subject: 'A' })], { name: 'A' });
    const b = await w.plan([email({ subject: 'B' }), step({ kind: 'assignPlan', planId: a.id })], { name: 'B' });
    await w.t.call('plans.update', {
      id: a.id,
      plan: { ...a, steps: [...a.steps, step({ kind: 'assignPlan', planId: b.id })] },
    });
    const lead = await w.lead();
    await w.enroll(lead.id, a.id);
    await w.t.tick();
    await w.t.tick();
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['A', 'B']);
    expect((await w.history(lead.id)).join('\n')).toContain('enrolling in "A" again would loop');
  });

  it('a repeatPlan with no wait is reported as a cycle instead of repeating forever', async () => {
    const w = await world();
    const plan = await w.plan([email(), step({ kind: 'repeatPlan' })]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect(w.t.host.sent).toHaveLength(1);
    expect((await w.history(lead.id)).join('\n')).toContain('repeating now would loop forever');
    expect((await w.enrollments(lead.id))[0]!.state).toBe('completed');
  });

  it('next-plan chains that come back to a plan are reported, not run forever', async () => {
    const w = await world();
    const a = await w.plan([email({ subject: 'A' })], { name: 'A' });
    const b = await w.plan([email({ subject: 'B' })], { name: 'B', nextPlanId: a.id });
    await w.t.call('plans.update', { id: a.id, plan: { ...a, nextPlanId: b.id } });
    const lead = await w.lead();
    await w.enroll(lead.id, a.id);
    await w.t.tick();
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['A', 'B']);
    expect((await w.history(lead.id)).join('\n')).toContain('Next plan not started: enrolling in "A" again would loop');
  });
});

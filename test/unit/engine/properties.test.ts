import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnrollmentAction } from '@shared/contract/enrollments';
import type { LeadId } from '@shared/model/ids';
import type { Plan, StepInput } from '@shared/model/plan';
import { email, world } from './engine-helpers';
import { DAY, executionsIn, HOUR, MINUTE } from './harness';

type Action =
  | { kind: 'lead'; tag: boolean; closing: boolean }
  | { kind: 'enroll'; lead: number; plan: number }
  | { kind: 'apply'; enrollment: number; action: EnrollmentAction }
  | { kind: 'jump'; ms: number }
  | { kind: 'retime'; plan: number; step: number; hours: number }
  | { kind: 'reply'; lead: number }
  | { kind: 'dropEvent'; lead: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('lead' as const), tag: fc.boolean(), closing: fc.boolean() }),
  fc.record({ kind: fc.constant('enroll' as const), lead: fc.nat(9), plan: fc.nat(2) }),
  fc.record({
    kind: fc.constant('apply' as const),
    enrollment: fc.nat(9),
    action: fc.constantFrom<EnrollmentAction>('pause', 'resume', 'stop', 'restart', 'remove'),
  }),
  fc.record({
    kind: fc.constant('jump' as const),
    ms: fc.oneof(
      fc.integer({ min: 1, max: 90 }).map((m) => m * MINUTE),
      fc.integer({ min: 1, max: 72 }).map((h) => h * HOUR),
      fc.integer({ min: 1, max: 20 }).map((d) => d * DAY),
    ),
  }),
  fc.record({ kind: fc.constant('retime' as const), plan: fc.nat(2), step: fc.nat(3), hours: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('reply' as const), lead: fc.nat(9) }),
  fc.record({ kind: fc.constant('dropEvent' as const), lead: fc.nat(9) }),
);

const planSteps = (): StepInput[][] => [
  [
    email({ id: 'a1' }),
    { id: 'a2', kind: 'addTags', tags: ['warm'], timing: { kind: 'after', amount: 2, unit: 'hours' } },
    email({ id: 'a3', timing: { kind: 'after', amount: 2, unit: 'days' } }),
    { id: 'a4', kind: 'repeatPlan', timing: { kind: 'after', amount: 10, unit: 'days' } },
  ],
  [
    email({ id: 'b1', timing: { kind: 'beforeEvent', event: 'closing', amount: 3, unit: 'days' } }),
    { id: 'b2', kind: 'task', title: 'Call', timing: { kind: 'afterEvent', event: 'closing', amount: 1, unit: 'days' } },
    email({ id: 'b3', timing: { kind: 'onDay', day: 3, time: '09:00', businessDaysOnly: true } }),
  ],
  [
    { id: 'c1', kind: 'changeStage', stage: 'Hot', timing: { kind: 'after', amount: 30, unit: 'minutes' } },
    email({ id: 'c2', timing: { kind: 'after', amount: 1, unit: 'days' } }),
  ],
];

async function check(actions: Action[]) {
  const w = await world();
  const plans: Plan[] = [];
  for (const [i, steps] of planSteps().entries()) {
    plans.push(
      await w.plan(steps, { name: `P${i}`, pauseOnReply: i === 0, triggers: { sources: [], stages: [], tags: i === 2 ? ['hot'] : [] } }),
    );
  }
  const leads: LeadId[] = [];
  const swallow = (p: Promise<unknown>) => p.catch((e: { code?: string }) => expect(['Conflict', 'NotFound']).toContain(e.code));

  for (const a of actions) {
    switch (a.kind) {
      case 'lead': {
        const lead = await w.lead({ tags: a.tag ? ['hot'] : [], eventDates: a.closing ? { closing: '2026-04-25' } : {} });
        leads.push(lead.id);
        break;
      }
      case 'enroll':
        if (leads.length) await swallow(w.enroll(leads[a.lead % leads.length]!, plans[a.plan]!.id));
        break;
      case 'apply': {
        const all = await w.t.db.enrollments.toArray();
        const e = all[a.enrollment % Math.max(1, all.length)];
        if (e) await swallow(w.t.call('enrollments.apply', { id: e.id, action: a.action }));
        break;
      }
      case 'jump':
        await w.t.advance(a.ms);
        break;
      case 'retime': {
        const plan = await w.t.call('plans.get', { id: plans[a.plan]!.id });
        const steps = plan.steps.map((s, i) =>
          i === a.step % plan.steps.length && s.timing.kind === 'after'
            ? { ...s, timing: { ...s.timing, amount: a.hours, unit: 'hours' as const } }
            : s,
        );
        await w.t.call('plans.update', { id: plan.id, plan: { ...plan, steps } });
        break;
      }
      case 'reply':
        if (leads.length) await w.t.call('enrollments.recordReply', { leadId: leads[a.lead % leads.length]!, channel: 'email' });
        break;
      case 'dropEvent': {
        if (!leads.length) break;
        const lead = await w.t.call('leads.get', { id: leads[a.lead % leads.length]! });
        const { id, optOuts: _o, createdAt: _c, updatedAt: _u, createdBy: _b, ...fields } = lead;
        await w.t.call('leads.update', { id, fields: { ...fields, eventDates: {} } });
        break;
      }
    }
    await w.t.tick();
    await invariants(w, plans);
  }
  w.t.engine.close();
}

async function invariants(w: Awaited<ReturnType<typeof world>>, plans: Plan[]) {
  const now = w.t.clock.now();
  const enrollments = await w.t.db.enrollments.toArray();
  const executions = await executionsIn(w.t.db);
  const outbox = await w.t.db.outbox.toArray();

  // No step runs twice: one outbox message per execution key, and each sent once.
  const keys = outbox.map((m) => m.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  const sentKeys = w.t.host.sent.map((s) => s.idempotencyKey);
  expect(new Set(sentKeys).size).toBe(sentKeys.length);

  // Nothing due is left waiting after a pass (deferrals move nextDueAt into the future).
  const stuck = enrollments.filter((e) => e.state === 'active' && e.nextDueAt !== null && e.nextDueAt <= now);
  expect(stuck).toEqual([]);

  // No due step vanishes without a recorded reason: every step before the position of the current
  // iteration has an execution (ran, skipped with its reason, or failed with its reason).
  for (const e of enrollments) {
    const plan = await w.t.db.plans.get(e.planId);
    const ids = plan!.steps.map((s) => s.id);
    const upTo = e.state === 'completed' ? ids.length : e.nextStepId === null ? 0 : ids.indexOf(e.nextStepId);
    const done = new Set(executions.filter((x) => x.enrollmentId === e.id && x.iteration === e.iteration).map((x) => x.stepId));
    if (e.state === 'completed' && e.exitReason !== 'completed' && !e.exitReason?.startsWith('chained')) continue;
    for (const id of ids.slice(0, Math.max(0, upTo))) expect(done.has(id), `${e.id} step ${id} (state ${e.state})`).toBe(true);
    for (const x of executions.filter((x) => x.enrollmentId === e.id && x.outcome !== 'done' && x.outcome !== 'queued'))
      expect(x.reason).toBeTruthy();
  }

  // Per-state counts always equal the enrollments.
  const summaries = await w.t.call('plans.list', {});
  for (const plan of plans) {
    const s = summaries.find((x) => x.plan.id === plan.id)!;
    const mine = enrollments.filter((e) => e.planId === plan.id);
    const counted = s.counts.active + s.counts.paused + s.counts.stopped + s.counts.completed;
    expect(counted).toBe(mine.filter((e) => e.state !== 'removed').length);
    expect(s.counts.engaged).toBe(mine.filter((e) => e.engaged && e.state !== 'removed').length);
  }
}

describe('properties over random user actions and clock jumps', () => {
  it('no step runs twice, no due step vanishes without a recorded reason, per-state counts equal the enrollments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), (actions) => check(actions)),
      { numRuns: 40 },
    );
  }, 300_000);
});

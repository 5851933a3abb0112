import { describe, expect, it } from 'vitest';
import type { PlanId } from '@shared/model/ids';
import type { Plan } from '@shared/model/plan';
import { email, step, world } from './engine-helpers';
import { DAY, HOUR, MINUTE, T0 } from './harness';

const after = (amount: number, unit: 'minutes' | 'hours' | 'days') => ({ kind: 'after' as const, amount, unit });

type World = Awaited<ReturnType<typeof world>>;

/** Rewrites the stored plan as a damaged file or an older version might have left it. */
async function damage(w: World, planId: PlanId, change: (p: Plan) => unknown): Promise<void> {
  const plan = (await w.t.db.plans.get(planId))!;
  await w.t.db.plans.put(change(structuredClone(plan)) as Plan);
}

/** The second step's timing cannot be read: every run of the first step fails when it moves on. */
const unreadableSecondStep = (p: Plan) => {
  (p.steps[1] as unknown as { timing: unknown }).timing = { kind: 'onDay', day: 1, time: null };
  return p;
};

describe('one bad record must not hold the others', () => {
  it('healthy steps behind more than a batch of failing ones all run, on the first pass', async () => {
    const w = await world();
    await w.t.call('settings.sendPolicy.set', { ...(await w.t.call('settings.sendPolicy.get', {})), dailyTouchCap: 0 });
    const bad = await w.plan([step({ kind: 'addNote', note: 'bad first' }), step({ kind: 'addNote', note: 'bad second' })]);
    const good = await w.plan([step({ kind: 'addNote', note: 'healthy' })], { name: 'Healthy' });
    for (let i = 0; i < 101; i++) await w.enroll((await w.lead({ email: `bad${i}@example.com` })).id, bad.id);
    await w.t.advance(MINUTE);
    const healthy = [];
    for (let i = 0; i < 50; i++) {
      const lead = await w.lead({ email: `good${i}@example.com` });
      healthy.push(lead.id);
      await w.enroll(lead.id, good.id);
    }
    // The bad plan's rows come first in due order (enrolled a minute earlier).
    await damage(w, bad.id, unreadableSecondStep);
    await w.t.tick();
    const ran = await Promise.all(healthy.map(async (id) => (await w.history(id)).includes('healthy')));
    expect(ran.filter(Boolean)).toHaveLength(50);
  });

  it('a failing step is set aside with a growing wait, then paused as failed with the reason in history and on Today', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'addNote', note: 'first' }), step({ kind: 'addNote', note: 'second' })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    await damage(w, plan.id, unreadableSecondStep);
    await w.t.tick();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const row = (await w.t.db.enrollments.get(e.id))!;
      if (row.state !== 'active' || row.nextDueAt === null) break;
      waits.push(row.nextDueAt - w.t.clock.now());
      await w.t.advance(row.nextDueAt - w.t.clock.now());
    }
    // Each wait is longer than the one before; then it stops trying.
    expect(waits.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
    const final = (await w.t.db.enrollments.get(e.id))!;
    expect(final).toMatchObject({ state: 'paused', nextDueAt: null, failure: { attempts: waits.length + 1 } });
    expect(final.failure?.reason).toMatch(/\S/);
    // The first step never half-ran: it was rolled back with the failure each time.
    expect(await w.history(lead.id)).not.toContain('first');
    const failedLine = (await w.t.call('leads.history', { leadId: lead.id })).find((h) => h.kind === 'failed');
    expect(failedLine?.summary).toMatch(/could not run .* tries .* paused/i);
    const today = await w.t.call('notifications.list', { limit: 20 });
    expect(today.map((n) => n.entry.id)).toContain(failedLine!.id);
    // Nothing is retried any more, however often the scheduler looks.
    const lines = (await w.t.call('leads.history', { leadId: lead.id })).length;
    await w.t.advance(DAY);
    await w.t.advance(DAY);
    expect(await w.t.call('leads.history', { leadId: lead.id })).toHaveLength(lines);
  });

  it('resuming a step paused as failed tries it again at once; it runs when the plan was fixed', async () => {
    const w = await world();
    const plan = await w.plan([step({ kind: 'addNote', note: 'first' }), step({ kind: 'addNote', note: 'second' })]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    const healthy = (await w.t.db.plans.get(plan.id))!;
    await damage(w, plan.id, unreadableSecondStep);
    for (let i = 0; i < 20 && (await w.t.db.enrollments.get(e.id))!.state === 'active'; i++) await w.t.advance(DAY);
    expect((await w.t.db.enrollments.get(e.id))!.state).toBe('paused');
    await w.t.db.plans.put(healthy);
    await w.t.call('enrollments.apply', { id: e.id, action: 'resume' });
    await w.t.tick();
    expect(await w.history(lead.id)).toEqual(expect.arrayContaining(['first', 'second']));
    expect((await w.t.db.enrollments.get(e.id))!).toMatchObject({ state: 'completed', failure: null });
  });

  it('a plan record the engine cannot read is reported in words and not retried at full speed', async () => {
    const w = await world();
    const plan = await w.plan([email()]);
    const lead = await w.lead();
    const e = await w.enroll(lead.id, plan.id);
    await damage(w, plan.id, (p) => ({ ...p, steps: 'not a list' }));
    await w.t.tick();
    const row = (await w.t.db.enrollments.get(e.id))!;
    expect(row.nextDueAt).toBeGreaterThan(w.t.clock.now());
    const first = (await w.t.call('leads.history', { leadId: lead.id })).find((h) => h.summary.includes('could not run'));
    expect(first?.summary).toContain(`"${plan.name}"`);
    expect(first?.summary).toMatch(/trying again/i);
    expect(w.t.host.sent).toHaveLength(0);
  });
});

describe('missed runs are judged from when each step was really due', () => {
  const fiveEmails = () => [
    email({ subject: 'One' }),
    ...['Two', 'Three', 'Four', 'Five'].map((subject) => email({ subject, timing: after(1, 'hours') })),
  ];

  async function jumpThreeDays(policy: 'skip' | 'task' | 'review') {
    const w = await world();
    await w.t.call('settings.sendPolicy.set', { ...(await w.t.call('settings.sendPolicy.get', {})), dailyTouchCap: 0 });
    const plan = await w.plan([email({ subject: 'One', timing: after(1, 'hours') }), ...fiveEmails().slice(1)], {
      misfire: { policy, graceHours: 24 },
    });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(3 * DAY);
    return { w, lead };
  }

  it('skip: every step overdue beyond the grace is skipped and recorded, not only the first', async () => {
    const { w, lead } = await jumpThreeDays('skip');
    expect(w.t.host.sent).toHaveLength(0);
    const skipped = (await w.history(lead.id)).filter((s) => s.startsWith('Skipped'));
    expect(skipped).toHaveLength(5);
    for (const line of skipped) expect(line).toMatch(/due \d+ h ago/);
  });

  it('task: every overdue step becomes a task, not only the first', async () => {
    const { w, lead } = await jumpThreeDays('task');
    expect(w.t.host.sent).toHaveLength(0);
    const tasks = await w.t.call('tasks.list', { leadId: lead.id });
    expect(tasks).toHaveLength(5);
  });

  it('review: every overdue step waits in the review queue, not only the first', async () => {
    const { w, lead } = await jumpThreeDays('review');
    expect(w.t.host.sent).toHaveLength(0);
    const tasks = await w.t.call('tasks.list', { leadId: lead.id });
    expect(tasks).toHaveLength(5);
  });

  it('an execution records when its step was really due, not when the computer woke up', async () => {
    const w = await world();
    const plan = await w.plan([
      step({ kind: 'addNote', note: 'a', timing: after(1, 'hours') }),
      step({ kind: 'addNote', note: 'b', timing: after(2, 'hours') }),
    ]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(3 * DAY);
    const lines = await w.t.db.history.where('[leadId+at]').between([lead.id, -Infinity], [lead.id, Infinity]).toArray();
    const dues = lines.flatMap((l) => (l.execution ? [l.execution.dueAt] : [])).sort((a, b) => a - b);
    expect(dues).toEqual([T0 + HOUR, T0 + 2 * HOUR]);
  });

  it('a step held back by a send window does not make the steps after it count as missed', async () => {
    const w = await world();
    // Sat 2026-04-18 10:00 New York: the window opens Monday 09:00, two days later.
    w.t.clock.set(Date.UTC(2026, 3, 18, 14, 0));
    const plan = await w.plan([email({ subject: 'One' }), email({ subject: 'Two', timing: after(1, 'hours') })], {
      misfire: { policy: 'skip', graceHours: 24 },
      sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
    });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    for (let i = 0; i < 3 * 24; i++) await w.t.advance(HOUR);
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['One', 'Two']);
  });
});

describe('editing a running plan records every deleted step a lead will not get', () => {
  it('each deleted step ahead of the lead is recorded once, with who edited the plan', async () => {
    const w = await world();
    const steps = [1, 2, 3, 4, 5].map((i) => step({ kind: 'addNote', name: `Step ${i}`, note: `n${i}`, timing: after(i, 'days') }));
    const plan = await w.plan(steps);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(DAY);
    // The lead is at step 2: delete steps 3 and 5 (ahead) and step 1 (already passed).
    const current = await w.t.call('plans.get', { id: plan.id });
    await w.t.call('plans.update', { id: plan.id, plan: { ...current, steps: [current.steps[1]!, current.steps[3]!] } });
    const me = (await w.t.call('session.get', {})).currentUser.name;
    const lines = (await w.history(lead.id)).filter((s) => /deleted/.test(s));
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`"Step 3".*deleted.*by ${me}`)),
      expect.stringMatching(new RegExp(`"Step 5".*deleted.*by ${me}`)),
    ]);
    // Running the rest of the plan adds no second line for them.
    for (let i = 0; i < 6; i++) await w.t.advance(DAY);
    expect((await w.history(lead.id)).filter((s) => /deleted/.test(s))).toHaveLength(2);
    expect(await w.history(lead.id)).toEqual(expect.arrayContaining(['n2', 'n4']));
    expect(await w.history(lead.id)).not.toEqual(expect.arrayContaining(['n3']));
  });

  it('a deleted next step is recorded once, with who edited the plan, and the plan goes on', async () => {
    const w = await world();
    const plan = await w.plan([1, 2, 3].map((i) => step({ kind: 'addNote', name: `Step ${i}`, note: `n${i}`, timing: after(i, 'days') })));
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.advance(DAY);
    const current = await w.t.call('plans.get', { id: plan.id });
    await w.t.call('plans.update', { id: plan.id, plan: { ...current, steps: [current.steps[0]!, current.steps[2]!] } });
    for (let i = 0; i < 4; i++) await w.t.advance(DAY);
    const deleted = (await w.history(lead.id)).filter((s) => /deleted/.test(s));
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(/"Step 2"/);
    expect(await w.history(lead.id)).toEqual(expect.arrayContaining(['n1', 'n3']));
  });
});

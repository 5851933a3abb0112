import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitRule } from '@shared/model/send-limits';
import { simulateSends } from '../../../src-renderer/engine/outbox/rate-window';
import { busiestWindow } from './backlog';
import { aLead, aPlan, currentUserId, DAY, emailStep, startEngine, T0 } from './harness';

describe('speed to lead', () => {
  it('a new lead’s welcome email is high priority; the same step caught up a week late is ordinary backlog', async () => {
    const t = await startEngine({ at: T0 - 7 * DAY });
    const owner = await currentUserId(t);
    const plan = await t.call('plans.create', aPlan(owner, { steps: [emailStep()] as never }));
    const late = await t.call('leads.create', aLead({ email: 'late@example.com' }));
    await t.call('enrollments.enroll', { leadId: late.id, planId: plan.id });
    // The laptop was closed before the scheduler ran: it runs the step a week later.
    t.clock.set(T0);
    const fresh = await t.call('leads.create', aLead({ email: 'fresh@example.com' }));
    await t.call('enrollments.enroll', { leadId: fresh.id, planId: plan.id });
    await t.tick();

    const priorities = await t.db.outbox.toArray();
    expect(Object.fromEntries(priorities.map((m) => [m.channel === 'email' ? m.email.to : '', m.priority]))).toEqual({
      'late@example.com': 'normal',
      'fresh@example.com': 'high',
    });
  });
});

describe('the queue estimate keeps the limits it predicts', () => {
  it('for any limits and any arrivals, the estimated send times never put more than the limit in a window', () => {
    const rule = fc.record({
      windowMs: fc.integer({ min: 1_000, max: 3_600_000 }),
      max: fc.integer({ min: 1, max: 40 }),
      label: fc.constant(''),
    });
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 7_200_000 }), { maxLength: 200 }),
        (rules: LimitRule[], dues) => {
          const times = simulateSends(
            [],
            [...dues].sort((a, b) => a - b),
            rules,
            0,
          );
          for (const r of rules) expect(busiestWindow(times, r.windowMs)).toBeLessThanOrEqual(r.max);
          times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(dues.slice().sort((a, b) => a - b)[i] ?? 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the scheduler loop', () => {
  it('a wake from inside a handler’s transaction still runs the due step (the pass never joins that transaction)', async () => {
    const t = await startEngine();
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(await currentUserId(t)));
    t.engine.scheduler.start();
    await t.db.transaction('rw', [t.db.enrollments, t.db.plans, t.db.leads, t.db.history], async () => {
      // A handler that enrolls and wakes the scheduler before its transaction commits.
      await t.db.leads.get(lead.id);
      t.engine.scheduler.wake();
    });
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await until(() => t.host.sent.length === 1);
    expect(t.host.sent[0]!.message.subject).toBe('Hello Ann');
    t.engine.close();
  });
});

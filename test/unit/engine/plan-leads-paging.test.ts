import { describe, expect, it } from 'vitest';
import type { LeadId } from '@shared/model/ids';
import { seedLeads } from '../../../src-renderer/engine/leads/seed';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

/** A plan with `n` leads enrolled through the Leads table's "Add to plan" (one engine call). */
async function planWithManyLeads(n: number) {
  const t = await startEngine();
  const owner = await currentUserId(t);
  await seedLeads(t.engine.deps, n, 7);
  // An account plan: generated leads are not the owner's own, and a personal plan takes only those.
  const plan = await t.call('plans.create', aPlan(owner, { scope: { kind: 'account' } }));
  const leadIds: LeadId[] = await t.db.leads.toCollection().primaryKeys();
  const added = await t.call('enrollments.enrollLeads', { planId: plan.id, leadIds });
  return { t, plan, added };
}

describe('a plan’s leads by state, page by page', () => {
  it('scrolling to the end of a 1,200-lead state table shows every lead once, in the same order as "select all"', async () => {
    const { t, plan, added } = await planWithManyLeads(1200);
    expect(added).toMatchObject({ total: 1200, enrolled: 1200, skipped: 0 });
    const seen: string[] = [];
    const totals = new Set<number>();
    for (let offset = 0; ; offset += 250) {
      const page = await t.call('enrollments.byPlanState', { planId: plan.id, state: 'active', offset, limit: 250 });
      totals.add(page.total);
      if (page.rows.length === 0) break;
      seen.push(...page.rows.map((r) => r.id));
    }
    expect([...totals]).toEqual([1200]); // every page reports the whole state's count, not its own size
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    const { ids } = await t.call('enrollments.idsByPlanState', { planId: plan.id, state: 'active' });
    expect(seen).toEqual(ids);
  });

  it('"select all" then Pause covers all 1,200 leads, not only the first 1,000', async () => {
    const { t, plan } = await planWithManyLeads(1200);
    const { ids } = await t.call('enrollments.idsByPlanState', { planId: plan.id, state: 'active' });
    const result = await t.call('enrollments.bulkApply', { ids, action: 'pause', jobId: 'all' });
    expect(result).toMatchObject({ total: 1200, done: 1200, refused: [] });
    const counts = (await t.call('plans.list', {}))[0]!.counts;
    expect(counts).toMatchObject({ active: 0, paused: 1200 });
  });
});

describe('"Add to plan" for a selection of leads', () => {
  it('enrolls the selection in one call and skips the leads already in the plan, saying why', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const plan = await t.call('plans.create', aPlan(owner));
    const a = await t.call('leads.create', aLead({ firstName: 'Ann' }));
    const b = await t.call('leads.create', aLead({ firstName: 'Bob', email: 'bob@example.com' }));
    await t.call('enrollments.enroll', { leadId: a.id, planId: plan.id });
    const r = await t.call('enrollments.enrollLeads', { planId: plan.id, leadIds: [a.id, b.id] });
    expect(r).toEqual({ total: 2, enrolled: 1, skipped: 1, firstSkipReason: 'the lead is already in "Buyer follow-up" (active)' });
  });

  it('an agent’s selection larger than what is left of the daily cap is refused whole, with the numbers', async () => {
    const t = await startEngine();
    const pm = await currentUserId(t);
    await t.call('team.settings.set', { personalPlans: false, preferredLender: false, manualAutomated: true });
    const agent = (await t.call('team.users.add', { name: 'Ava Agent', role: 'agent' })).id;
    const plan = await t.call('plans.create', aPlan(pm, { name: 'Automated nurture', scope: { kind: 'account' } }));
    const leads = await Promise.all(
      Array.from({ length: 51 }, (_, i) => t.call('leads.create', aLead({ firstName: `L${i}`, assignees: { buyerAgent: agent } }))),
    );
    const err = await t
      .call('enrollments.enrollLeads', { planId: plan.id, leadIds: leads.map((l) => l.id) }, agent)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'QuotaExceeded', details: { remaining: 50, requested: 51 } });
    expect((await t.call('plans.list', {}))[0]!.counts.active).toBe(0);
    const fifty = await t.call('enrollments.enrollLeads', { planId: plan.id, leadIds: leads.slice(0, 50).map((l) => l.id) }, agent);
    expect(fifty.enrolled).toBe(50);
    expect((await t.call('team.rights', {}, agent)).quota).toMatchObject({ used: 50, remaining: 0 });
  });
});

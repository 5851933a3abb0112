import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-renderer/engine/deps';
import { enroll } from '../../../src-renderer/engine/enrollments/app';
import { userActor } from '../../../src-renderer/engine/history/history';
import { assignmentGuard } from '../../../src-renderer/engine/team/guards';
import { aLead, aPlan, currentUserId, HOUR, startEngine } from './harness';

async function cappedTeam(at?: number) {
  const t = await startEngine(at === undefined ? {} : { at });
  const pm = await currentUserId(t);
  await t.call('team.settings.set', { personalPlans: false, preferredLender: false, manualAutomated: true });
  const agent = (await t.call('team.users.add', { name: 'Ava Agent', role: 'agent' })).id;
  const lender = (await t.call('team.users.add', { name: 'Leo Lender', role: 'lender' })).id;
  const plan = await t.call('plans.create', aPlan(pm, { name: 'Automated nurture', scope: { kind: 'account' } }));
  const leads = async (n: number, as = lender) =>
    Promise.all(Array.from({ length: n }, (_, i) => t.call('leads.create', aLead({ firstName: `L${i}`, assignees: { lender: as } }))));
  return { t, pm, agent, lender, plan, leads };
}

describe('manual assignment cap: 50 a day account-wide', () => {
  it('the 51st manual assignment of the day is refused with the numbers; the count is shared by agents and lenders', async () => {
    const { t, agent, lender, plan, leads } = await cappedTeam();
    const mine = await leads(30, lender);
    const agents = await leads(21, agent);
    for (const l of mine) await t.call('enrollments.enroll', { leadId: l.id, planId: plan.id }, lender);
    for (const l of agents.slice(0, 20)) await t.call('enrollments.enroll', { leadId: l.id, planId: plan.id }, agent);
    expect((await t.call('team.rights', {}, agent)).quota).toMatchObject({ used: 50, remaining: 0, limit: 50 });
    const err = await t.call('enrollments.enroll', { leadId: agents[20]!.id, planId: plan.id }, agent).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'QuotaExceeded',
      message:
        'The account may make 50 manual assignments to fully automated plans per day and none are left today; this request needs 1. Nothing was assigned.',
      details: { limit: 50, used: 50, remaining: 0, requested: 1 },
    });
    expect(await t.call('enrollments.forLead', { leadId: agents[20]!.id })).toEqual([]);
  });

  it('a refused assignment is not counted, and a failed one gives its count back', async () => {
    const { t, lender, plan, leads } = await cappedTeam();
    const [a] = await leads(1);
    await t.call('enrollments.enroll', { leadId: a!.id, planId: plan.id }, lender);
    // Already in the plan: refused by the enrollment rules, so the cap counter rolls back with it.
    await expect(t.call('enrollments.enroll', { leadId: a!.id, planId: plan.id }, lender)).rejects.toMatchObject({ code: 'Conflict' });
    expect((await t.call('team.rights', {}, lender)).quota.used).toBe(1);
  });

  it('managers’ assignments and traditional plans do not count toward the cap', async () => {
    const { t, pm, agent, leads } = await cappedTeam();
    const traditional = await t.call('plans.create', aPlan(pm, { name: 'Calls', scope: { kind: 'account' }, type: 'traditional' }));
    const [a, b] = await leads(2, agent);
    await t.call('enrollments.enroll', { leadId: a!.id, planId: traditional.id }, agent);
    await t.call('enrollments.enroll', { leadId: b!.id, planId: traditional.id });
    expect((await t.call('team.rights', {}, agent)).quota.used).toBe(0);
  });

  it('a bulk assignment counts each lead, and one over the remaining quota is refused whole: nobody is enrolled', async () => {
    const { t, lender, plan, leads } = await cappedTeam();
    const deps = t.engine.deps;
    // A bulk enroll the way an area registers it: its handler enrolls each lead; the guard is one line.
    const bulk = assignmentGuard<'enrollments.enroll'>(
      deps,
      () => batch.map((l) => l.id),
      () => plan.id,
    )(async (_p, ctx: CallContext) => {
      const done = [];
      for (const l of batch) done.push(await enroll(deps, l.id, plan.id, userActor(ctx.user)));
      return done[0]!;
    });
    const user = (await t.db.users.get(lender))!;
    let batch = await leads(45);
    await bulk({ leadId: batch[0]!.id, planId: plan.id }, { user });
    expect((await t.call('team.rights', {}, lender)).quota).toMatchObject({ used: 45, remaining: 5 });
    batch = await leads(6);
    const err = await bulk({ leadId: batch[0]!.id, planId: plan.id }, { user }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'QuotaExceeded',
      message:
        'The account may make 50 manual assignments to fully automated plans per day and only 5 are left today; this request needs 6. Nothing was assigned.',
      details: { remaining: 5, requested: 6 },
    });
    for (const l of batch) expect(await t.call('enrollments.forLead', { leadId: l.id })).toEqual([]);
    batch = batch.slice(0, 5);
    await bulk({ leadId: batch[0]!.id, planId: plan.id }, { user });
    expect((await t.call('team.rights', {}, lender)).quota).toMatchObject({ used: 50, remaining: 0 });
  });

  it('enrollments.bulkEnroll by source counts each lead and is refused whole over the remaining quota', async () => {
    const { t, lender, plan } = await cappedTeam();
    const make = (n: number, source: string) =>
      Promise.all(
        Array.from({ length: n }, (_, i) => t.call('leads.create', aLead({ firstName: `${source}${i}`, source, assignees: { lender } }))),
      );
    await make(45, 'Zillow');
    const big = await make(6, 'Realtor');
    expect(await t.call('enrollments.bulkEnroll', { planId: plan.id, sources: ['Zillow'] }, lender)).toEqual({ enrolled: 45, skipped: 0 });
    await expect(t.call('enrollments.bulkEnroll', { planId: plan.id, sources: ['Realtor'] }, lender)).rejects.toMatchObject({
      code: 'QuotaExceeded',
      details: { remaining: 5, requested: 6 },
    });
    for (const l of big) expect(await t.call('enrollments.forLead', { leadId: l.id })).toEqual([]);
    // Leads already in the plan are skipped, not counted again.
    expect(await t.call('enrollments.bulkEnroll', { planId: plan.id, sources: ['Zillow'] }, lender)).toEqual({ enrolled: 0, skipped: 45 });
    expect((await t.call('team.rights', {}, lender)).quota).toMatchObject({ used: 45, remaining: 5 });
  });

  it('the day resets at midnight in the account’s time zone, not UTC', async () => {
    // 23:30 in New York on 2026-04-14 is 03:30 UTC on the 15th.
    const { t, lender, plan, leads } = await cappedTeam(Date.UTC(2026, 3, 15, 3, 30));
    await t.db.account.update('account', { timeZone: 'America/New_York' });
    const all = await leads(51);
    for (const l of all.slice(0, 50)) await t.call('enrollments.enroll', { leadId: l.id, planId: plan.id }, lender);
    expect((await t.call('team.rights', {}, lender)).quota).toMatchObject({ day: '2026-04-14', remaining: 0 });
    await expect(t.call('enrollments.enroll', { leadId: all[50]!.id, planId: plan.id }, lender)).rejects.toMatchObject({
      code: 'QuotaExceeded',
    });
    t.clock.advance(HOUR); // 00:30 in New York
    expect((await t.call('team.rights', {}, lender)).quota).toMatchObject({ day: '2026-04-15', remaining: 50 });
    await expect(t.call('enrollments.enroll', { leadId: all[50]!.id, planId: plan.id }, lender)).resolves.toMatchObject({
      state: 'active',
    });
  });
});

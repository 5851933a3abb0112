import { describe, expect, it } from 'vitest';
import type { UserId } from '@shared/model/ids';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

async function routedTeam(settings = { personalPlans: true, preferredLender: true, manualAutomated: false }) {
  const t = await startEngine();
  const pm = await currentUserId(t);
  await t.call('team.settings.set', settings);
  const add = async (name: string, role: 'agent' | 'lender') => (await t.call('team.users.add', { name, role })).id;
  const ids = { pm, ava: await add('Ava Agent', 'agent'), ben: await add('Ben Agent', 'agent'), cy: await add('Cy Agent', 'agent') };
  const lenders = { leo: await add('Leo Lender', 'lender'), lia: await add('Lia Lender', 'lender') };
  return { t, ids, lenders };
}

describe('routing rules', () => {
  it('round robin deals 1,000 leads evenly across the rule’s people, in turn', async () => {
    const { t, ids } = await routedTeam();
    await t.call('routing.rules.create', { name: 'Everyone', isDefault: true, assigneeIds: [ids.ava, ids.ben, ids.cy] as UserId[] });
    const got: string[] = [];
    for (let i = 0; i < 1000; i++) got.push((await t.call('leads.create', aLead({ firstName: `L${i}` }))).assignees.buyerAgent!);
    const counts = [ids.ava, ids.ben, ids.cy].map((id) => got.filter((g) => g === id).length);
    expect(counts).toEqual([334, 333, 333]);
    expect(got.slice(0, 6)).toEqual([ids.ava, ids.ben, ids.cy, ids.ava, ids.ben, ids.cy]);
  });

  it('the round-robin turn survives a restart of the app', async () => {
    const { t, ids } = await routedTeam();
    await t.call('routing.rules.create', { name: 'Pair', isDefault: true, assigneeIds: [ids.ava, ids.ben] as UserId[] });
    await t.call('leads.create', aLead());
    t.engine.close();
    const { AppDb } = await import('../../../src-renderer/engine/store/db');
    const { createEngine } = await import('../../../src-renderer/engine/app');
    const { noLock } = await import('../../../src-renderer/engine/runtime');
    const engine = await createEngine({ db: new AppDb(t.db.name), clock: t.clock, host: t.host, lock: noLock });
    expect((await engine.call('leads.create', aLead())).assignees.buyerAgent).toBe(ids.ben);
    engine.close();
  });

  it('a lead goes to the first rule whose conditions all match (source, tag, price range, city, zip), else the default rule', async () => {
    const { t, ids } = await routedTeam();
    await t.call('routing.rules.create', {
      name: 'Zillow luxury in Austin',
      conditions: { sources: ['Zillow'], tags: ['buyer'], minPrice: 500_000, maxPrice: 2_000_000, cities: ['Austin'], zips: ['78701'] },
      assigneeIds: [ids.ava] as UserId[],
    });
    await t.call('routing.rules.create', { name: 'Everything else', isDefault: true, assigneeIds: [ids.ben] as UserId[] });
    const match = { source: 'zillow', tags: ['Buyer'], price: 750_000, city: 'austin', zip: '78701' };
    expect((await t.call('leads.create', aLead(match))).assignees.buyerAgent).toBe(ids.ava);
    for (const miss of [
      { source: 'Realtor' },
      { tags: [] },
      { price: 100_000 },
      { price: undefined },
      { city: 'Dallas' },
      { zip: '75001' },
    ]) {
      expect((await t.call('leads.create', aLead({ ...match, ...miss }))).assignees.buyerAgent, JSON.stringify(miss)).toBe(ids.ben);
    }
  });

  it('with no rule matching, a manager’s new lead is the manager’s own; an agent’s new lead is always the agent’s', async () => {
    const { t, ids } = await routedTeam();
    await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ids.ava] as UserId[] });
    expect((await t.call('leads.create', aLead({ source: 'Open house' }))).assignees).toEqual({ buyerAgent: ids.pm });
    expect((await t.call('leads.create', aLead({ source: 'Zillow' }), ids.ben)).assignees).toEqual({ buyerAgent: ids.ben });
  });

  it('the routed user’s settings for the rule enroll the lead in their plan and assign their preferred lender; history says who', async () => {
    const { t, ids, lenders } = await routedTeam();
    const rule = await t.call('routing.rules.create', {
      name: 'Zillow buyers',
      conditions: { sources: ['Zillow'] },
      assigneeIds: [ids.ava] as UserId[],
    });
    const plan = await t.call('plans.create', aPlan(ids.ava, { name: 'Ava’s Zillow plan' }), ids.ava);
    const other = await t.call('plans.create', aPlan(ids.ava, { name: 'Ava’s default plan' }), ids.ava);
    await t.call(
      'routing.mySettings.save',
      {
        defaults: { planId: other.id, lenderId: lenders.lia },
        perRule: { [rule.id]: { planId: plan.id, lenderId: lenders.leo } },
      },
      ids.ava,
    );
    const lead = await t.call('leads.create', aLead({ source: 'Zillow' }));
    expect(lead.assignees).toEqual({ buyerAgent: ids.ava, lender: lenders.leo });
    const enrollments = await t.call('enrollments.forLead', { leadId: lead.id });
    expect(enrollments.map((e) => [e.planName, e.enrolledBy])).toEqual([['Ava’s Zillow plan', { kind: 'routing', ruleId: rule.id }]]);
    const history = (await t.call('leads.history', { leadId: lead.id })).map((h) => h.summary);
    expect(history).toContain(
      'Routed to Ava Agent by rule "Zillow buyers"; preferred lender Leo Lender (Ava Agent’s Lead Routing Settings, for rule "Zillow buyers")',
    );
    expect(history).toContain(
      'Ann Lee enrolled in "Ava’s Zillow plan" by Ava Agent’s Lead Routing Settings (for rule "Zillow buyers"), rule "Zillow buyers"',
    );
  });

  it('without a choice for the rule, the user’s defaults apply; without defaults, nothing is enrolled', async () => {
    const { t, ids, lenders } = await routedTeam();
    await t.call('routing.rules.create', { name: 'Default', isDefault: true, assigneeIds: [ids.ava, ids.ben] as UserId[] });
    const plan = await t.call('plans.create', aPlan(ids.ava, { name: 'Ava default' }), ids.ava);
    await t.call('routing.mySettings.save', { defaults: { planId: plan.id, lenderId: lenders.lia } }, ids.ava);
    const toAva = await t.call('leads.create', aLead());
    expect(toAva.assignees).toEqual({ buyerAgent: ids.ava, lender: lenders.lia });
    expect((await t.call('enrollments.forLead', { leadId: toAva.id })).map((e) => e.planName)).toEqual(['Ava default']);
    const toBen = await t.call('leads.create', aLead());
    expect(toBen.assignees).toEqual({ buyerAgent: ids.ben });
    expect(await t.call('enrollments.forLead', { leadId: toBen.id })).toEqual([]);
  });

  it('turned-off settings are not applied: no preferred lender without toggle 2, no plan without toggle 1', async () => {
    const { t, ids, lenders } = await routedTeam();
    await t.call('routing.rules.create', { name: 'Default', isDefault: true, assigneeIds: [ids.ava] as UserId[] });
    const plan = await t.call('plans.create', aPlan(ids.ava), ids.ava);
    await t.call('routing.mySettings.save', { defaults: { planId: plan.id, lenderId: lenders.leo } }, ids.ava);
    await t.call('team.settings.set', { personalPlans: false, preferredLender: false, manualAutomated: false });
    const lead = await t.call('leads.create', aLead());
    expect(lead.assignees).toEqual({ buyerAgent: ids.ava });
    expect(await t.call('enrollments.forLead', { leadId: lead.id })).toEqual([]);
  });

  it('Lead Routing Settings list only the rules routing to the user, and cannot speak for other rules', async () => {
    const { t, ids } = await routedTeam();
    const mine = await t.call('routing.rules.create', { name: 'Mine', assigneeIds: [ids.ava] as UserId[] });
    const theirs = await t.call('routing.rules.create', { name: 'Theirs', assigneeIds: [ids.ben] as UserId[] });
    expect((await t.call('routing.mySettings.get', {}, ids.ava)).rules.map((r) => r.name)).toEqual(['Mine']);
    await expect(
      t.call('routing.mySettings.save', { perRule: { [theirs.id]: { planId: null, lenderId: null } } }, ids.ava),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: { issues: [{ path: `perRule.${theirs.id}` }] } });
    await expect(
      t.call('routing.rules.update', { id: mine.id, rule: { name: 'Hijack', assigneeIds: [ids.ava] as UserId[] } }, ids.ava),
    ).rejects.toMatchObject({
      code: 'PermissionDenied',
    });
  });
});

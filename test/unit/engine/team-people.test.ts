import { describe, expect, it } from 'vitest';
import type { UserId } from '@shared/model/ids';
import { AppError } from '@shared/rpc/errors';
import { aLead, aPlan, currentUserId, DAY, startEngine } from './harness';

async function team() {
  const t = await startEngine();
  const pm = (await currentUserId(t)) as UserId;
  await t.call('team.settings.set', { personalPlans: true, preferredLender: true, manualAutomated: false });
  const add = async (name: string, role: 'agent' | 'lender' | 'manager') => (await t.call('team.users.add', { name, role })).id;
  return { t, pm, mia: await add('Mia Manager', 'manager'), ava: await add('Ava Agent', 'agent'), leo: await add('Leo Lender', 'lender') };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const names = async (t: Awaited<ReturnType<typeof team>>['t']) =>
  (await t.call('session.get', {})).users.map((u) => `${u.name} (${u.role})`);

describe('managers edit the people on the team', () => {
  it('a manager changes a person’s name, email and role, and the person’s rights follow the new role', async () => {
    const { t, mia, ava } = await team();
    const saved = await t.call(
      'team.users.update',
      { id: ava, fields: { name: 'Ava Stone', email: 'AVA@example.com', role: 'manager' } },
      mia,
    );
    expect(saved).toMatchObject({ name: 'Ava Stone', email: 'ava@example.com', role: 'manager' });
    expect(await names(t)).toContain('Ava Stone (manager)');
    expect((await t.call('team.rights', {}, ava)).can.manageRoutingRules).toBe(true);
  });

  it('the primary manager stays the primary manager, and nobody else becomes one', async () => {
    const { t, pm, mia, ava } = await team();
    const demote = await refusal(t.call('team.users.update', { id: pm, fields: { name: 'Me', role: 'manager' } }, mia));
    expect(demote.code).toBe('Conflict');
    expect(demote.message).toBe('Me is the primary manager and stays one: a team always has exactly one primary manager.');
    const promote = await refusal(t.call('team.users.update', { id: ava, fields: { name: 'Ava Agent', role: 'primaryManager' } }));
    expect(promote.message).toBe(
      'A team has exactly one primary manager, so Ava Agent can be a manager, agent or lender, not primary manager.',
    );
    // Their name can still change.
    expect((await t.call('team.users.update', { id: pm, fields: { name: 'Pat Prime', role: 'primaryManager' } })).name).toBe('Pat Prime');
    expect(await names(t)).toEqual(['Pat Prime (primaryManager)', 'Mia Manager (manager)', 'Ava Agent (agent)', 'Leo Lender (lender)']);
  });

  it('an agent working leads does not become a lender, nor a lender of leads an agent, until those leads have someone else', async () => {
    const { t, mia, ava, leo } = await team();
    const lead = await t.call('leads.create', { ...aLead(), assignees: { buyerAgent: ava, lender: leo } }, mia);
    const toLender = await refusal(t.call('team.users.update', { id: ava, fields: { name: 'Ava Agent', role: 'lender' } }, mia));
    expect(toLender.message).toBe(
      'Ava Agent cannot become a lender while they are the buyer or listing agent of 1 lead: give those leads to another agent first (in Leads, select them and use Assign buyer agent or Assign listing agent).',
    );
    const toAgent = await refusal(t.call('team.users.update', { id: leo, fields: { name: 'Leo Lender', role: 'agent' } }, mia));
    expect(toAgent.message).toBe(
      'Leo Lender cannot stop being a lender while they are the lender of 1 lead: give those leads another lender first (in Leads, select them and use Assign lender).',
    );
    expect(await names(t)).toEqual(expect.arrayContaining(['Ava Agent (agent)', 'Leo Lender (lender)']));
    await t.call('leads.bulk', { target: { ids: [lead.id] }, action: { kind: 'assign', role: 'buyerAgent', userId: mia } }, mia);
    await t.call('leads.bulk', { target: { ids: [lead.id] }, action: { kind: 'assign', role: 'lender', userId: null } }, mia);
    await t.call('team.users.update', { id: ava, fields: { name: 'Ava Agent', role: 'lender' } }, mia);
    await t.call('team.users.update', { id: leo, fields: { name: 'Leo Lender', role: 'agent' } }, mia);
    expect(await names(t)).toEqual(expect.arrayContaining(['Ava Agent (lender)', 'Leo Lender (agent)']));
  });

  it('a person who receives routed leads cannot become a lender until taken off the rules (they are named)', async () => {
    const { t, ava } = await team();
    await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    const err = await refusal(t.call('team.users.update', { id: ava, fields: { name: 'Ava Agent', role: 'lender' } }));
    expect(err.message).toBe(
      'Ava Agent cannot become a lender while the routing rule “Zillow” sends leads to them (lenders do not receive routed leads): take them off first.',
    );
    expect(await names(t)).toContain('Ava Agent (agent)');
  });

  it('a lender someone picked as preferred lender stays a lender until they pick another', async () => {
    const { t, ava, leo } = await team();
    await t.call('routing.mySettings.save', { defaults: { planId: null, lenderId: leo } }, ava);
    const err = await refusal(t.call('team.users.update', { id: leo, fields: { name: 'Leo Lender', role: 'agent' } }));
    expect(err.message).toBe(
      'Leo Lender cannot stop being a lender while Ava Agent has them as preferred lender in Lead Routing Settings: they pick another lender first.',
    );
  });

  it('agents and lenders cannot edit or remove people', async () => {
    const { t, ava, leo, mia } = await team();
    for (const who of [ava, leo]) {
      const edit = await refusal(t.call('team.users.update', { id: mia, fields: { name: 'X', role: 'agent' } }, who));
      expect(edit.message).toMatch(/^Only managers can add, edit or remove people on the team; you are signed in as an? (agent|lender)\.$/);
      expect((await refusal(t.call('team.users.remove', { id: mia }, who))).code).toBe('PermissionDenied');
    }
    expect(await names(t)).toContain('Mia Manager (manager)');
  });
});

describe('removing a person never loses their leads, tasks or running plans', () => {
  it('is refused with the counts while the person still works leads, has open tasks and runs leads in their plans', async () => {
    const { t, mia, ava } = await team();
    const lead = await t.call('leads.create', aLead({ assignees: { buyerAgent: ava } }));
    await t.call('leads.create', aLead({ firstName: 'Bo', email: 'bo@example.com', assignees: { listingAgent: ava } }));
    await t.call('tasks.create', { leadId: lead.id, title: 'Call back', dueAt: t.clock.now() + DAY, assigneeId: ava });
    const plan = await t.call('plans.create', aPlan(ava), ava);
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id }, ava);
    await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });

    const err = await refusal(t.call('team.users.remove', { id: ava }, mia));
    expect(err.code).toBe('Conflict');
    expect(err.message).toBe(
      'Ava Agent cannot be removed yet, so that nothing is lost. Ava Agent works 2 leads (as buyer agent, listing agent or lender): give them to someone else; has 1 open task: finish or reassign them; has 1 lead running in their personal plans: remove them from those plans; receives leads from the routing rule “Zillow”: take them off. Then try again.',
    );
    expect(err.details).toMatchObject({ leads: 2, openTasks: 1, liveEnrollments: 1, rules: ['Zillow'] });
    expect(await names(t)).toContain('Ava Agent (agent)');
    expect((await t.call('leads.get', { id: lead.id })).assignees.buyerAgent).toBe(ava);
  });

  it('counts the leads a person works the same whether or not the lead index is built yet', async () => {
    const { t, ava } = await team();
    await t.call('leads.create', aLead({ assignees: { buyerAgent: ava } }));
    await t.call('leads.create', aLead({ firstName: 'Bo', email: 'bo@example.com', assignees: { listingAgent: ava } }));
    await t.call('leads.create', aLead({ firstName: 'Cy', email: 'cy@example.com' }));
    const { dependentsOf } = await import('../../../src-renderer/engine/team/people');
    const { leadIndexOf } = await import('../../../src-renderer/engine/leads/lead-index');
    const user = (await t.db.users.get(ava))!;
    expect(leadIndexOf(t.db).isReady).toBe(false);
    expect((await dependentsOf(t.engine.deps, user)).leads).toBe(2);
    await leadIndexOf(t.db).whenReady();
    expect((await dependentsOf(t.engine.deps, user)).leads).toBe(2);
  });

  it('a person nothing depends on is removed, with their Lead Routing Settings; a lender picked by someone is not', async () => {
    const { t, mia, ava, leo } = await team();
    await t.call('routing.mySettings.save', { defaults: { planId: null, lenderId: leo } }, ava);
    const err = await refusal(t.call('team.users.remove', { id: leo }, mia));
    expect(err.message).toContain('Leo Lender is the preferred lender of Ava Agent: they pick another lender');
    await t.call('team.users.remove', { id: ava }, mia);
    expect(await names(t)).toEqual(['Me (primaryManager)', 'Mia Manager (manager)', 'Leo Lender (lender)']);
    expect(await t.db.leadRoutingSettings.get(ava)).toBeUndefined();
    await t.call('team.users.remove', { id: leo }, mia);
    expect(await names(t)).toEqual(['Me (primaryManager)', 'Mia Manager (manager)']);
  });

  it('a deleted lead brought back after its agent left the team comes back without that agent, and says so', async () => {
    const { t, pm, mia, ava } = await team();
    const lead = await t.call('leads.create', { ...aLead(), assignees: { buyerAgent: ava, listingAgent: pm } }, mia);
    const { batchId } = await t.call('leads.bulk', { target: { ids: [lead.id] }, action: { kind: 'delete' } }, mia);
    await t.call('team.users.remove', { id: ava }, mia);
    await t.call('leads.restore', { batchId: batchId! }, mia);
    expect((await t.call('leads.get', { id: lead.id })).assignees).toEqual({ listingAgent: pm });
    expect((await t.call('leads.history', { leadId: lead.id })).map((h) => h.summary)).toContain(
      'Lead restored (no longer assigned to the former buyer agent: not on the team any more)',
    );
  });

  it('the primary manager and the person signed in cannot be removed', async () => {
    const { t, pm, mia } = await team();
    expect((await refusal(t.call('team.users.remove', { id: pm }, mia))).message).toBe(
      'Me is the primary manager and cannot be removed: a team always has exactly one.',
    );
    expect((await refusal(t.call('team.users.remove', { id: mia }, mia))).message).toBe(
      'You cannot remove yourself. Switch to another manager’s profile to do it.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/rpc/errors';
import { aLead, currentUserId, startEngine } from './harness';

async function team() {
  const t = await startEngine();
  const pm = await currentUserId(t);
  const add = async (name: string, role: 'agent' | 'lender' | 'manager') => (await t.call('team.users.add', { name, role })).id;
  return {
    t,
    pm,
    mia: await add('Mia Manager', 'manager'),
    ava: await add('Ava Agent', 'agent'),
    ben: await add('Ben Agent', 'agent'),
    leo: await add('Leo Lender', 'lender'),
  };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('managers edit and reorder routing rules', () => {
  it('after a manager moves a rule above another, a new lead matching both goes to the rule that is now first', async () => {
    const { t, ava, ben, mia } = await team();
    const zillow = await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    const austin = await t.call('routing.rules.create', { name: 'Austin', conditions: { cities: ['Austin'] }, assigneeIds: [ben] });
    const both = { source: 'Zillow', city: 'Austin' };
    expect((await t.call('leads.create', aLead(both))).assignees.buyerAgent).toBe(ava);

    const moved = await t.call('routing.rules.reorder', { ids: [austin.id, zillow.id] }, mia);
    expect(moved.map((r) => r.name)).toEqual(['Austin', 'Zillow']);
    expect((await t.call('routing.rules.list', {})).map((r) => r.name)).toEqual(['Austin', 'Zillow']);
    expect((await t.call('leads.create', aLead(both))).assignees.buyerAgent).toBe(ben);
  });

  it('the default rule is tried last wherever it is moved', async () => {
    const { t, ava, ben } = await team();
    const rest = await t.call('routing.rules.create', { name: 'Everything else', isDefault: true, assigneeIds: [ben] });
    const zillow = await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    await t.call('routing.rules.reorder', { ids: [rest.id, zillow.id] });
    expect((await t.call('routing.rules.list', {})).map((r) => r.name)).toEqual(['Zillow', 'Everything else']);
    expect((await t.call('leads.create', aLead({ source: 'Zillow' }))).assignees.buyerAgent).toBe(ava);
  });

  it('a reorder sent from an out-of-date list (a rule added meanwhile) is refused and moves nothing', async () => {
    const { t, ava, ben } = await team();
    const a = await t.call('routing.rules.create', { name: 'A', conditions: { sources: ['A'] }, assigneeIds: [ava] });
    const b = await t.call('routing.rules.create', { name: 'B', conditions: { sources: ['B'] }, assigneeIds: [ben] });
    await t.call('routing.rules.create', { name: 'C', conditions: { sources: ['C'] }, assigneeIds: [ben] });
    const err = await refusal(t.call('routing.rules.reorder', { ids: [b.id, a.id] }));
    expect(err.code).toBe('Conflict');
    expect(err.message).toMatch(/changed since this list was shown.*Nothing was moved/);
    expect((await t.call('routing.rules.list', {})).map((r) => r.name)).toEqual(['A', 'B', 'C']);
  });

  it('editing a rule changes its name, conditions and people; the next lead follows the edited rule', async () => {
    const { t, pm, ava, ben } = await team();
    const rule = await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava, ben] });
    expect((await t.call('leads.create', aLead({ source: 'Zillow' }))).assignees.buyerAgent).toBe(ava);
    const edited = await t.call('routing.rules.update', {
      id: rule.id,
      rule: { name: 'Zillow luxury', conditions: { sources: ['Zillow'], minPrice: 500_000 }, assigneeIds: [ben] },
    });
    expect(edited).toMatchObject({ name: 'Zillow luxury', assigneeIds: [ben], nextIndex: 0 });
    expect((await t.call('leads.create', aLead({ source: 'Zillow', price: 100_000 }))).assignees.buyerAgent).toBe(pm);
    expect((await t.call('leads.create', aLead({ source: 'Zillow', price: 900_000 }))).assignees.buyerAgent).toBe(ben);
  });

  it('a lender cannot be put on a routing rule, and the refusal says why in words', async () => {
    const { t, ava, leo } = await team();
    const err = await refusal(t.call('routing.rules.create', { name: 'With a lender', isDefault: true, assigneeIds: [ava, leo] }));
    expect(err.code).toBe('ValidationFailed');
    expect(err.message).toBe(
      'Leo Lender cannot receive routed leads. Lenders are not picked here: routing gives leads to agents and managers, and a lender joins a routed lead as that person’s preferred lender (Lead Routing Settings).',
    );
    expect(err.details?.issues?.[0]?.path).toBe('assigneeIds');
    const rule = await t.call('routing.rules.create', { name: 'Agents', isDefault: true, assigneeIds: [ava] });
    await refusal(t.call('routing.rules.update', { id: rule.id, rule: { name: 'Agents', isDefault: true, assigneeIds: [leo] } }));
    expect((await t.call('routing.rules.list', {}))[0]!.assigneeIds).toEqual([ava]);
  });

  it('an account has one default rule: a second one is refused, naming the first', async () => {
    const { t, ava, ben } = await team();
    await t.call('routing.rules.create', { name: 'Everything else', isDefault: true, assigneeIds: [ava] });
    const err = await refusal(t.call('routing.rules.create', { name: 'Catch all', isDefault: true, assigneeIds: [ben] }));
    expect(err.message).toBe('“Everything else” is already the default rule: edit that one, or untick “Default rule” here');
    expect(err.details?.issues?.[0]?.path).toBe('isDefault');
  });

  it('agents and lenders cannot create, edit, reorder or delete routing rules', async () => {
    const { t, ava, leo } = await team();
    const rule = await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    for (const who of [ava, leo]) {
      for (const call of [
        t.call('routing.rules.create', { name: 'Mine', assigneeIds: [ava] }, who),
        t.call('routing.rules.update', { id: rule.id, rule: { name: 'Mine', assigneeIds: [ava] } }, who),
        t.call('routing.rules.reorder', { ids: [rule.id] }, who),
        t.call('routing.rules.delete', { id: rule.id }, who),
      ]) {
        const err = await refusal(call);
        expect(err.code).toBe('PermissionDenied');
        expect(err.message).toMatch(/^Only managers can edit routing rules; you are signed in as an? (agent|lender)\./);
      }
    }
    expect((await t.call('routing.rules.list', {})).map((r) => r.name)).toEqual(['Zillow']);
  });
});

describe('team file and lenders on rules', () => {
  it('the team file keeps the rules in the order the manager set, and the importing teammate routes by it', async () => {
    const { t, ava, ben } = await team();
    const zillow = await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    const austin = await t.call('routing.rules.create', { name: 'Austin', conditions: { cities: ['Austin'] }, assigneeIds: [ben] });
    await t.call('routing.rules.reorder', { ids: [austin.id, zillow.id] });
    const file = await t.call('team.exportFile', {});
    expect(file.routingRules.map((r) => r.name)).toEqual(['Austin', 'Zillow']);
    const teammate = await startEngine();
    await teammate.call('team.importFile', { text: JSON.stringify(file) });
    expect((await teammate.call('routing.rules.list', {})).map((r) => r.name)).toEqual(['Austin', 'Zillow']);
    expect((await teammate.call('leads.create', aLead({ source: 'Zillow', city: 'Austin' }))).assignees.buyerAgent).toBe(ben);
  });

  it('a team file whose routing rule sends leads to a lender is refused, saying which rule and who', async () => {
    const { t, ava, leo } = await team();
    await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [ava] });
    const file = await t.call('team.exportFile', {});
    file.routingRules[0]!.assigneeIds = [leo];
    const fresh = await startEngine();
    const err = await refusal(fresh.call('team.importFile', { text: JSON.stringify(file) }));
    expect(err.message).toBe('The team file cannot be imported: routing rule "Zillow" routes to Leo Lender, a lender');
    expect(err.details?.issues?.[0]?.path).toBe('routingRules.0.assigneeIds');
    expect(await fresh.call('routing.rules.list', {})).toEqual([]);
  });
});

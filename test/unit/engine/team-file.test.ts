import { describe, expect, it } from 'vitest';
import type { UserId } from '@shared/model/ids';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

async function exportedTeam() {
  const t = await startEngine();
  const pm = await currentUserId(t);
  await t.call('team.settings.set', { personalPlans: false, preferredLender: true, manualAutomated: true });
  const agent = await t.call('team.users.add', { name: 'Ava Agent', email: 'ava@example.com', role: 'agent' });
  await t.call('team.users.add', { name: 'Leo Lender', role: 'lender' });
  await t.call('plans.create', aPlan(pm, { name: 'Team nurture', scope: { kind: 'account' } }));
  await t.call('plans.create', aPlan(pm, { name: 'My own plan' }));
  await t.call('routing.rules.create', { name: 'Zillow', conditions: { sources: ['Zillow'] }, assigneeIds: [agent.id] });
  await t.call('leads.create', aLead({ source: 'Open house', stage: 'Nurture', tags: ['buyer'] }));
  return { file: await t.call('team.exportFile', {}), agent };
}

describe('team file: a manager exports the team, a teammate imports it on first run', () => {
  it('brings the account, people and roles, settings, account plans (not personal ones), routing rules and lists', async () => {
    const { file, agent } = await exportedTeam();
    expect(file.stages).toContain('Nurture');
    expect(file.tags).toEqual(['buyer']);
    const t = await startEngine();
    const users = await t.call('team.importFile', { text: JSON.stringify(file) });
    expect(users.map((u) => [u.name, u.role])).toEqual([
      ['Me', 'primaryManager'],
      ['Ava Agent', 'agent'],
      ['Leo Lender', 'lender'],
    ]);
    const ava = users.find((u) => u.name === 'Ava Agent')!.id;
    expect(ava).toBe(agent.id);
    const rights = await t.call('team.rights', {}, ava);
    expect(rights.settings).toEqual({ personalPlans: false, preferredLender: true, manualAutomated: true });
    expect((await t.call('plans.list', {}, ava)).map((s) => s.plan.name)).toEqual(['Team nurture']);
    expect((await t.call('routing.mySettings.get', {}, ava)).rules.map((r) => r.name)).toEqual(['Zillow']);
    expect((await t.call('session.get', {}, ava)).account.onboarded).toBe(true);
    // Routing works straight away on the imported rules.
    expect((await t.call('leads.create', aLead({ source: 'Zillow' }))).assignees.buyerAgent).toBe(ava);
  });

  it('a damaged or wrong file is refused with what is wrong and where, and nothing is imported', async () => {
    const { file } = await exportedTeam();
    const t = await startEngine();
    await expect(t.call('team.importFile', { text: '{"format": "action-plans-team", ' })).rejects.toMatchObject({
      code: 'ValidationFailed',
      message: 'The team file is not valid JSON: it may be damaged or not a team file.',
    });
    await expect(t.call('team.importFile', { text: JSON.stringify({ hello: 1 }) })).rejects.toMatchObject({
      message: 'The team file cannot be imported: format: This is not an Action Plans team file',
    });
    const noBoss = { ...file, users: file.users.filter((u) => u.role !== 'primaryManager') };
    await expect(t.call('team.importFile', { text: JSON.stringify(noBoss) })).rejects.toMatchObject({
      details: { issues: [{ path: 'users', message: 'A team needs exactly one primary manager' }] },
    });
    const ghost = { ...file, routingRules: [{ ...file.routingRules[0]!, assigneeIds: ['nobody' as UserId] }] };
    await expect(t.call('team.importFile', { text: JSON.stringify(ghost) })).rejects.toMatchObject({
      details: { issues: [{ path: 'routingRules.0.assigneeIds', message: 'Unknown user nobody' }] },
    });
    expect(await t.db.users.count()).toBe(1);
    expect(await t.db.routingRules.count()).toBe(0);
  });

  it('first run happens once: after "I work alone" a team file can no longer replace the account', async () => {
    const { file } = await exportedTeam();
    const t = await startEngine();
    const me = await t.call('team.setupSolo', { name: 'Pat Solo', email: 'pat@example.com', timeZone: 'America/Chicago' });
    expect(me).toMatchObject({ name: 'Pat Solo', role: 'primaryManager' });
    const session = await t.call('session.get', {});
    expect(session.account).toMatchObject({ timeZone: 'America/Chicago', onboarded: true });
    await expect(t.call('team.importFile', { text: JSON.stringify(file) })).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('only managers export the team file', async () => {
    const t = await startEngine();
    const agent = await t.call('team.users.add', { name: 'Ava', role: 'agent' });
    await expect(t.call('team.exportFile', {}, agent.id)).rejects.toMatchObject({ code: 'PermissionDenied' });
  });
});

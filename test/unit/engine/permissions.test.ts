import { describe, expect, it } from 'vitest';
import type { ActionPlanSettings, Role, TeamAction } from '@shared/model/team';
import { TEAM_ACTIONS } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';
import { denial, ROLES } from '../../../src-renderer/engine/team/permissions';
import type { TestEngine } from './harness';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

/** Every combination of the three Action Plan Settings. */
const COMBOS: ActionPlanSettings[] = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({
  personalPlans: Boolean(n & 1),
  preferredLender: Boolean(n & 2),
  manualAutomated: Boolean(n & 4),
}));
const name = (t: ActionPlanSettings) =>
  `personal plans ${t.personalPlans ? 'on' : 'off'}, preferred lender ${t.preferredLender ? 'on' : 'off'}, manual automated ${t.manualAutomated ? 'on' : 'off'}`;

const manager = (r: Role) => r === 'primaryManager' || r === 'manager';

/**
 * DESIGN §3 in its own words, written independently of the engine's table:
 * `true` = allowed, `'never'` = the role may never, otherwise the toggles that would allow it.
 */
const RULES: Record<TeamAction, (r: Role, t: ActionPlanSettings) => true | 'never' | string[]> = {
  manageActionPlanSettings: (r) => (r === 'primaryManager' ? true : 'never'),
  manageUsers: (r) => (manager(r) ? true : 'never'),
  manageRoutingRules: (r) => (manager(r) ? true : 'never'),
  exportTeamFile: (r) => (manager(r) ? true : 'never'),
  editAccountPlans: (r) => (manager(r) ? true : 'never'),
  createPersonalPlans: (r, t) => (manager(r) ? true : r === 'lender' ? 'never' : t.personalPlans || ['personalPlans']),
  assignTraditionalPlans: (r) => (r === 'lender' ? 'never' : true),
  // Toggle 1 also turns on toggle 3.
  assignFullyAutomatedPlans: (r, t) => (manager(r) ? true : t.manualAutomated || t.personalPlans || ['manualAutomated']),
  // Lead Routing Settings appear when toggle 1 or 2 is on.
  editLeadRoutingSettings: (r, t) =>
    r === 'lender' ? 'never' : t.personalPlans || t.preferredLender || ['personalPlans', 'preferredLender'],
  chooseRoutingPlan: (r, t) => (r === 'lender' ? 'never' : t.personalPlans || ['personalPlans']),
  choosePreferredLender: (r, t) => (r === 'lender' ? 'never' : t.preferredLender || ['preferredLender']),
  viewAllLeads: (r) => (r === 'lender' ? 'never' : true),
};

describe('permission matrix: role × Action Plan Settings × action', () => {
  const cells = ROLES.flatMap((role) => COMBOS.flatMap((toggles) => TEAM_ACTIONS.map((action) => ({ role, toggles, action }))));

  it('covers every cell (4 roles × 8 setting combinations × 12 actions)', () => {
    expect(cells).toHaveLength(4 * 8 * TEAM_ACTIONS.length);
  });

  it.each(cells.map((c) => [`${c.role} / ${c.action} / ${name(c.toggles)}`, c] as const))('%s', (_label, { role, toggles, action }) => {
    const expected = RULES[action](role, toggles);
    const err = denial(action, role, toggles);
    if (expected === true) {
      expect(err).toBeNull();
      return;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err!.code).toBe('PermissionDenied');
    if (expected === 'never') {
      expect(err!.details).toEqual({ action, role });
      expect(err!.message).toMatch(
        /^Only (the primary manager|managers|managers and agents) can .+; you are signed in as an? (manager|agent|lender)\./,
      );
    } else {
      expect(err!.details).toEqual({ action, role, requires: expected });
      expect(err!.message).toMatch(
        / only while ".+" is on\. (It is|Both are) off; .+ can turn (it|one) on in Team → Action Plan Settings\.$/,
      );
    }
  });

  it('says in plain words what is refused, for which role or setting, and how to get it', () => {
    const off = COMBOS[0]!;
    expect(denial('createPersonalPlans', 'lender', off)!.message).toBe(
      'Only managers and agents can create or edit personal plans; you are signed in as a lender. Lenders work the leads where they are the lender, with account plans.',
    );
    expect(denial('editAccountPlans', 'agent', off)!.message).toBe(
      'Only managers can create, edit or lock account plans; you are signed in as an agent.',
    );
    expect(denial('assignFullyAutomatedPlans', 'agent', off)!.message).toBe(
      'Agents can manually assign leads to fully automated plans only while "Allow agents and lenders to manually assign leads to fully automated plans" is on. It is off; only the primary manager can turn it on in Team → Action Plan Settings.',
    );
    expect(denial('editLeadRoutingSettings', 'primaryManager', off)!.message).toBe(
      'You can use Lead Routing Settings only while "Allow users to create personal action plans" or "Allow users to select a preferred lender" is on. Both are off; you can turn one on in Team → Action Plan Settings.',
    );
    expect(denial('manageActionPlanSettings', 'manager', off)!.message).toBe(
      'Only the primary manager can change Action Plan Settings; you are signed in as a manager.',
    );
  });
});

interface Team {
  t: TestEngine;
  ids: Record<Role, string>;
}

async function team(): Promise<Team> {
  const t = await startEngine();
  const pm = await currentUserId(t);
  const manager = (await t.call('team.users.add', { name: 'Mia Manager', role: 'manager' })).id;
  const agent = (await t.call('team.users.add', { name: 'Ava Agent', role: 'agent' })).id;
  const lender = (await t.call('team.users.add', { name: 'Leo Lender', role: 'lender' })).id;
  return { t, ids: { primaryManager: pm, manager, agent, lender } };
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'allowed';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe('the engine enforces the matrix on its methods (a hidden button is not a permission)', () => {
  it('every role under every setting combination gets exactly what the table allows', async () => {
    const { t, ids } = await team();
    const pm = ids.primaryManager;
    const accountAuto = await t.call('plans.create', aPlan(pm, { name: 'Account auto', scope: { kind: 'account' } }), pm);
    const accountTraditional = await t.call(
      'plans.create',
      aPlan(pm, { name: 'Account traditional', scope: { kind: 'account' }, type: 'traditional' }),
      pm,
    );
    for (const toggles of COMBOS) {
      await t.call('team.settings.set', toggles, pm);
      for (const role of ROLES) {
        const as = ids[role];
        const lead = await t.call('leads.create', aLead({ assignees: { buyerAgent: as, lender: as } }), pm);
        const expect_ = (action: TeamAction) => (RULES[action](role, toggles) === true ? 'allowed' : 'PermissionDenied');
        const got = {
          personal: await outcome(t.call('plans.create', aPlan(as, { name: `p-${role}` }), as)),
          account: await outcome(t.call('plans.create', aPlan(as, { scope: { kind: 'account' } }), as)),
          auto: await outcome(t.call('enrollments.enroll', { leadId: lead.id, planId: accountAuto.id }, as)),
          traditional: await outcome(t.call('enrollments.enroll', { leadId: lead.id, planId: accountTraditional.id }, as)),
          settings: await outcome(t.call('team.settings.set', toggles, as)),
          rules: await outcome(t.call('routing.rules.list', {}, as)),
          routing: await outcome(t.call('routing.mySettings.get', {}, as)),
          exportFile: await outcome(t.call('team.exportFile', {}, as)),
          users: await outcome(t.call('team.users.update', { id: as, fields: { name: 'Same', role } }, pm)),
        };
        expect(got, `${role} with ${name(toggles)}`).toEqual({
          personal: expect_('createPersonalPlans'),
          account: expect_('editAccountPlans'),
          auto: expect_('assignFullyAutomatedPlans'),
          traditional: expect_('assignTraditionalPlans'),
          settings: expect_('manageActionPlanSettings'),
          rules: expect_('manageRoutingRules'),
          routing: expect_('editLeadRoutingSettings'),
          exportFile: expect_('exportTeamFile'),
          users: 'allowed',
        });
      }
    }
  });
});

describe('visibility and rights on data', () => {
  it('personal plans are visible and usable only by their creator', async () => {
    const { t, ids } = await team();
    await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
    const mine = await t.call('plans.create', aPlan(ids.agent, { name: 'Ava’s plan' }), ids.agent);
    const names = async (as: string) => (await t.call('plans.list', {}, as)).map((s) => s.plan.name);
    expect(await names(ids.agent)).toEqual(['Ava’s plan']);
    expect(await names(ids.manager)).toEqual([]);
    await expect(t.call('plans.get', { id: mine.id }, ids.manager)).rejects.toMatchObject({ code: 'PermissionDenied' });
    const lead = await t.call('leads.create', aLead({ assignees: { buyerAgent: ids.manager } }), ids.manager);
    await expect(t.call('enrollments.enroll', { leadId: lead.id, planId: mine.id }, ids.manager)).rejects.toMatchObject({
      code: 'PermissionDenied',
    });
  });

  it('a user assigns a lead to their personal plan only when they are its buyer agent, listing agent or lender', async () => {
    const { t, ids } = await team();
    await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
    const plan = await t.call('plans.create', aPlan(ids.agent), ids.agent);
    const notTheirs = await t.call('leads.create', aLead({ assignees: { buyerAgent: ids.manager } }));
    const err = await t.call('enrollments.enroll', { leadId: notTheirs.id, planId: plan.id }, ids.agent).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PermissionDenied',
      message: 'You can assign a lead to your personal plan only when you are its buyer agent, listing agent or lender.',
    });
    for (const role of ['buyerAgent', 'listingAgent', 'lender'] as const) {
      const lead = await t.call('leads.create', aLead({ firstName: role, assignees: { [role]: ids.agent } }));
      await expect(t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id }, ids.agent)).resolves.toMatchObject({
        state: 'active',
      });
    }
  });

  it('a lender sees only leads where they are the lender, and cannot open the others', async () => {
    const { t, ids } = await team();
    const theirs = await t.call('leads.create', aLead({ firstName: 'Lena', assignees: { lender: ids.lender } }));
    const other = await t.call('leads.create', aLead({ firstName: 'Otto' }));
    const page = await t.call('leads.list', {}, ids.lender);
    expect(page.rows.map((l) => l.firstName)).toEqual(['Lena']);
    expect(page.total).toBe(1);
    expect((await t.call('leads.list', { search: 'otto' }, ids.lender)).rows).toEqual([]);
    await expect(t.call('leads.get', { id: other.id }, ids.lender)).rejects.toMatchObject({ code: 'PermissionDenied' });
    await expect(t.call('leads.history', { leadId: theirs.id }, ids.lender)).resolves.not.toHaveLength(0);
    await expect(t.call('tasks.create', { leadId: theirs.id, title: 'Pre-approval call', dueAt: 0 }, ids.lender)).resolves.toBeTruthy();
    await expect(t.call('tasks.create', { leadId: other.id, title: 'No', dueAt: 0 }, ids.lender)).rejects.toMatchObject({
      code: 'PermissionDenied',
    });
    await t.call('leads.addNote', { leadId: theirs.id, text: 'Pre-approved up to 600k' }, ids.lender);
    expect((await t.call('leads.history', { leadId: theirs.id }, ids.lender)).map((h) => h.detail)).toContain('Pre-approved up to 600k');
    await expect(t.call('leads.addNote', { leadId: other.id, text: 'No' }, ids.lender)).rejects.toMatchObject({ code: 'PermissionDenied' });
  });

  it('a locked account plan is viewable and duplicable but never editable, even by its manager until unlocked', async () => {
    const { t, ids } = await team();
    await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
    const plan = await t.call('plans.create', aPlan(ids.manager, { name: 'Team nurture', scope: { kind: 'account' } }), ids.manager);
    await t.call('plans.setLocked', { id: plan.id, locked: true }, ids.manager);
    await expect(t.call('plans.setLocked', { id: plan.id, locked: false }, ids.agent)).rejects.toMatchObject({ code: 'PermissionDenied' });
    expect((await t.call('plans.get', { id: plan.id }, ids.agent)).steps).toHaveLength(2);
    const edit = { id: plan.id, plan: { ...aPlan(ids.manager, { scope: { kind: 'account' } }), name: 'Changed' } };
    await expect(t.call('plans.update', edit, ids.agent)).rejects.toMatchObject({
      code: 'PermissionDenied',
      message: '"Team nurture" is locked: it is read-only. You can view it step by step or duplicate it as a personal plan.',
    });
    await expect(t.call('plans.update', edit, ids.manager)).rejects.toMatchObject({ message: /locked: it is read-only. Unlock it first/ });
    const copy = await t.call('plans.duplicate', { id: plan.id }, ids.agent);
    expect(copy).toMatchObject({ name: 'Team nurture (copy)', scope: { kind: 'personal', ownerUserId: ids.agent }, locked: false });
    await expect(t.call('plans.duplicate', { id: plan.id }, ids.lender)).rejects.toMatchObject({ code: 'PermissionDenied' });
  });

  it('toggle 1 also turns on toggle 3, and either toggle 1 or 2 shows Lead Routing Settings', async () => {
    const { t, ids } = await team();
    const rights = await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
    expect(rights.effective).toEqual({ personalPlans: true, preferredLender: false, manualAutomated: true });
    expect(rights.leadRoutingSettingsVisible).toBe(true);
    const agent = await t.call('team.rights', {}, ids.agent);
    expect(agent.can).toMatchObject({ createPersonalPlans: true, assignFullyAutomatedPlans: true, editLeadRoutingSettings: true });
    const off = await t.call('team.settings.set', { personalPlans: false, preferredLender: false, manualAutomated: false });
    expect(off.leadRoutingSettingsVisible).toBe(false);
    expect(
      (await t.call('team.settings.set', { personalPlans: false, preferredLender: true, manualAutomated: false }))
        .leadRoutingSettingsVisible,
    ).toBe(true);
  });
});

import type { TeamRights, teamContract } from '@shared/contract/team';
import type { PlanId, UserId } from '@shared/model/ids';
import type { Plan } from '@shared/model/plan';
import type { TeamFile } from '@shared/model/team-file';
import { teamFileSchema } from '@shared/model/team-file';
import type { RoutingRule, User } from '@shared/model/team';
import {
  canReceiveRoutedLeads,
  effectiveSettings,
  leadRoutingSettingsVisible,
  lendersNotRoutedReason,
  TEAM_ACTIONS,
} from '@shared/model/team';
import { conflict, notFound, validationFailed } from '@shared/rpc/errors';
import { zodToAppError } from '@shared/rpc/server';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { getPlan } from '../plans/app';
import { inOrder } from '../routing/match';
import { assertRemovable, assertRoleChange } from './people';
import { can } from './permissions';
import { quotaToday } from './quota';
import { getActionPlanSettings, putActionPlanSettings } from './settings';
import { leadIndexOf } from '../leads/lead-index';

const LISTS_KEY = 'teamLists';

export function createTeamHandlers(deps: EngineDeps): AreaHandlers<typeof teamContract> {
  const { db, clock } = deps;

  async function rights(user: User): Promise<TeamRights> {
    const settings = await getActionPlanSettings(db);
    const canDo = Object.fromEntries(TEAM_ACTIONS.map((a) => [a, can(a, user.role, settings)])) as TeamRights['can'];
    return {
      settings,
      effective: effectiveSettings(settings),
      leadRoutingSettingsVisible: leadRoutingSettingsVisible(settings),
      can: canDo,
      quota: await quotaToday(deps),
    };
  }

  async function assertFirstRun(): Promise<void> {
    const account = await db.account.get('account');
    if (account?.onboarded) throw conflict('This app is already set up. Switch profile from the menu instead.');
  }

  function parseTeamFile(text: string): TeamFile {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw validationFailed('The team file is not valid JSON: it may be damaged or not a team file.', [
        { path: 'file', message: 'Not JSON' },
      ]);
    }
    const parsed = teamFileSchema.safeParse(json);
    if (!parsed.success) throw zodToAppError(parsed.error, 'The team file cannot be imported');
    const users = new Map(parsed.data.users.map((u) => [u.id as string, u]));
    parsed.data.routingRules.forEach((r, i) => {
      const missing = r.assigneeIds.find((id) => !users.has(id));
      if (missing) {
        throw validationFailed(`The team file cannot be imported: routing rule "${r.name}" routes to a user who is not in the file`, [
          { path: `routingRules.${i}.assigneeIds`, message: `Unknown user ${missing}` },
        ]);
      }
      const lender = r.assigneeIds.map((id) => users.get(id)!).find((u) => !canReceiveRoutedLeads(u.role));
      if (lender) {
        throw validationFailed(`The team file cannot be imported: routing rule "${r.name}" routes to ${lender.name}, a lender`, [
          { path: `routingRules.${i}.assigneeIds`, message: lendersNotRoutedReason },
        ]);
      }
    });
    return parsed.data;
  }

  return {
    async 'team.rights'(_p, { user }) {
      return rights(user);
    },

    async 'team.settings.set'(settings, { user }) {
      await putActionPlanSettings(db, settings);
      return rights(user);
    },

    async 'team.users.add'(fields) {
      if (fields.role === 'primaryManager') {
        throw conflict('A team has exactly one primary manager: add this person as a manager, agent or lender.');
      }
      const account = await db.account.get('account');
      const user: User = { ...fields, id: deps.newId() as UserId, timeZone: account?.timeZone ?? 'UTC', createdAt: clock.now() };
      await db.users.add(user);
      return user;
    },

    async 'team.users.update'({ id, fields }) {
      // Who works which leads is answered from the lead index: build it before the transaction.
      await leadIndexOf(db).whenReady();
      return db.transaction('rw', [db.users, db.routingRules, db.leadRoutingSettings, db.leads], async () => {
        const before = await db.users.get(id);
        if (!before) throw notFound('User', id);
        await assertRoleChange(deps, before, fields);
        const user: User = { ...before, ...fields };
        await db.users.put(user);
        return user;
      });
    },

    async 'team.users.remove'({ id }, { user: by }) {
      await leadIndexOf(db).whenReady();
      const read = [db.leads, db.tasks, db.plans, db.enrollments, db.routingRules];
      return db.transaction('rw', [db.users, db.leadRoutingSettings, ...read], async () => {
        const user = await db.users.get(id);
        if (!user) throw notFound('User', id);
        await assertRemovable(deps, user, by);
        // Their personal plans stay in the store (nothing running in them, checked above), like history that names them.
        await db.leadRoutingSettings.delete(user.id);
        await db.users.delete(user.id);
        return { removed: true } as const;
      });
    },

    async 'team.setupSolo'({ name, email, timeZone }, { user }) {
      await assertFirstRun();
      return db.transaction('rw', db.account, db.users, db.settings, async () => {
        const account = await db.account.get('account');
        if (account) await db.account.put({ ...account, timeZone, onboarded: true });
        const me: User = { ...user, name, email, timeZone, role: 'primaryManager' };
        await db.users.put(me);
        // A solo agent builds personal plans (and so may assign leads to fully automated plans).
        await putActionPlanSettings(db, { personalPlans: true, preferredLender: false, manualAutomated: true });
        return me;
      });
    },

    async 'team.importFile'({ text }) {
      await assertFirstRun();
      const file = parseTeamFile(text);
      const now = clock.now();
      return db.transaction('rw', [db.account, db.users, db.settings, db.plans, db.routingRules], async () => {
        const users: User[] = file.users.map((u) => ({ ...u, timeZone: file.account.timeZone, createdAt: now }));
        await db.users.clear();
        await db.users.bulkAdd(users);
        const account = await db.account.get('account');
        await db.account.put({ id: 'account', createdAt: account?.createdAt ?? now, ...file.account, onboarded: true });
        await putActionPlanSettings(db, file.settings);
        await db.settings.put({ key: LISTS_KEY, value: { stages: file.stages, tags: file.tags, sources: file.sources } });
        const pm = users.find((u) => u.role === 'primaryManager')!;
        const plans: Plan[] = file.plans
          .filter((p) => p.scope.kind === 'account')
          .map((p) => ({ ...p, createdAt: now, updatedAt: now, createdBy: pm.id }));
        await db.plans.bulkPut(plans);
        const rules: RoutingRule[] = file.routingRules.map((r, i) => ({ ...r, nextIndex: 0, order: i + 1, createdAt: now }));
        await db.routingRules.bulkPut(rules);
        return users;
      });
    },

    async 'team.exportFile'() {
      const [account, users, settings, plans, rules, lists] = await Promise.all([
        db.account.get('account'),
        db.users.toArray(),
        getActionPlanSettings(db),
        db.plans.toArray(),
        db.routingRules.toArray(),
        db.settings.get(LISTS_KEY),
      ]);
      const saved = (lists?.value ?? {}) as Partial<Pick<TeamFile, 'stages' | 'tags' | 'sources'>>;
      const leadLists = await db.leads.toArray();
      const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
      return {
        format: 'action-plans-team',
        version: 1,
        exportedAt: clock.now(),
        account: { name: account?.name ?? 'My team', timeZone: account?.timeZone ?? 'UTC' },
        users: users.map(({ id, name, email, role }) => ({ id, name, email, role })),
        settings,
        plans: plans
          .filter((p) => p.scope.kind === 'account')
          .map(({ createdAt: _c, updatedAt: _u, createdBy: _b, ...p }) => p as TeamFile['plans'][number]),
        // In the order they are tried: the import numbers them by their place in the file.
        routingRules: inOrder(rules).map(({ nextIndex: _n, order: _o, createdAt: _c, ...r }) => r),
        stages: distinct([...(saved.stages ?? []), ...leadLists.map((l) => l.stage)]),
        tags: distinct([...(saved.tags ?? []), ...leadLists.flatMap((l) => l.tags)]),
        sources: distinct([...(saved.sources ?? []), ...leadLists.map((l) => l.source)]),
      };
    },

    async 'plans.duplicate'({ id, name }, { user }) {
      const source = await getPlan(deps, id);
      const now = clock.now();
      const copy: Plan = {
        ...source,
        id: deps.newId() as PlanId,
        name: name ?? `${source.name} (copy)`,
        scope: { kind: 'personal', ownerUserId: user.id },
        status: 'draft',
        locked: false,
        // The copy starts with no next plan: a personal plan must not chain into a plan its owner cannot see.
        nextPlanId: undefined,
        createdAt: now,
        updatedAt: now,
        createdBy: user.id,
      };
      await db.plans.add(copy);
      return copy;
    },

    async 'plans.setLocked'({ id, locked }) {
      const plan = await getPlan(deps, id);
      if (plan.scope.kind !== 'account') throw conflict('Only account plans can be locked.');
      const saved: Plan = { ...plan, locked, updatedAt: clock.now() };
      await db.plans.put(saved);
      return saved;
    },
  };
}

import type { routingContract } from '@shared/contract/routing';
import type { PlanId, UserId } from '@shared/model/ids';
import type { LeadRoutingSettings, RoutingRule } from '@shared/model/team';
import { notFound, validationFailed } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { can } from '../team/permissions';
import { getActionPlanSettings } from '../team/settings';
import { emptyRoutingSettings } from './route';

export function createRoutingHandlers(deps: EngineDeps): AreaHandlers<typeof routingContract> {
  const { db, clock } = deps;

  async function assertAssignees(ids: string[]): Promise<void> {
    const known = new Set((await db.users.toCollection().primaryKeys()) as string[]);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) {
      throw validationFailed('Some people on this rule are not on the team', [{ path: 'assigneeIds', message: 'Unknown user' }]);
    }
  }

  return {
    async 'routing.rules.list'() {
      return (await db.routingRules.toArray()).sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.order - b.order);
    },

    async 'routing.rules.create'(input) {
      await assertAssignees(input.assigneeIds);
      const last = await db.routingRules.orderBy('order').last();
      const rule: RoutingRule = { ...input, id: deps.newId(), nextIndex: 0, order: (last?.order ?? 0) + 1, createdAt: clock.now() };
      await db.routingRules.add(rule);
      return rule;
    },

    async 'routing.rules.update'({ id, rule: input }) {
      await assertAssignees(input.assigneeIds);
      return db.transaction('rw', db.routingRules, async () => {
        const before = await db.routingRules.get(id);
        if (!before) throw notFound('Routing rule', id);
        // The round-robin pointer stays in range when people are removed from the rule.
        const rule: RoutingRule = { ...before, ...input, nextIndex: before.nextIndex % input.assigneeIds.length };
        await db.routingRules.put(rule);
        return rule;
      });
    },

    async 'routing.rules.delete'({ id }) {
      await db.routingRules.delete(id);
      return { deleted: true };
    },

    async 'routing.mySettings.get'(_p, { user }) {
      const settings = await getActionPlanSettings(db);
      const rules = (await db.routingRules.toArray())
        .filter((r) => r.assigneeIds.includes(user.id))
        .sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.order - b.order);
      const plans = (await db.plans.toArray())
        .filter((p) => p.scope.kind === 'personal' && p.scope.ownerUserId === user.id && p.status === 'ready')
        .map((p) => ({ id: p.id, name: p.name }));
      const lenders = (await db.users.toArray()).filter((u) => u.role === 'lender').map((u) => ({ id: u.id, name: u.name }));
      return {
        rules,
        settings: (await db.leadRoutingSettings.get(user.id)) ?? emptyRoutingSettings(user.id),
        plans,
        lenders,
        canChoosePlan: can('chooseRoutingPlan', user.role, settings),
        canChooseLender: can('choosePreferredLender', user.role, settings),
      };
    },

    async 'routing.mySettings.save'(input, { user }) {
      const settings = await getActionPlanSettings(db);
      const mine = new Set((await db.routingRules.toArray()).filter((r) => r.assigneeIds.includes(user.id)).map((r) => r.id));
      const issues: { path: string; message: string }[] = [];
      const check = async (path: string, planId: PlanId | null, lenderId: UserId | null) => {
        if (planId) {
          const plan = await db.plans.get(planId);
          if (!plan || plan.scope.kind !== 'personal' || plan.scope.ownerUserId !== user.id) {
            issues.push({ path: `${path}.planId`, message: 'Pick one of your own personal plans' });
          }
          if (!can('chooseRoutingPlan', user.role, settings))
            issues.push({ path: `${path}.planId`, message: 'Personal plans are turned off' });
        }
        if (lenderId) {
          if ((await db.users.get(lenderId))?.role !== 'lender') issues.push({ path: `${path}.lenderId`, message: 'Pick a lender' });
          if (!can('choosePreferredLender', user.role, settings)) {
            issues.push({ path: `${path}.lenderId`, message: 'Preferred lenders are turned off' });
          }
        }
      };
      await check('defaults', input.defaults.planId, input.defaults.lenderId);
      for (const [ruleId, choice] of Object.entries(input.perRule)) {
        // A user's settings can only speak for rules that route to them; the rules themselves are not edited here.
        if (!mine.has(ruleId)) issues.push({ path: `perRule.${ruleId}`, message: 'This rule does not route leads to you' });
        await check(`perRule.${ruleId}`, choice.planId, choice.lenderId);
      }
      if (issues.length) throw validationFailed(`Lead Routing Settings not saved: ${issues[0]!.message}`, issues);
      const saved: LeadRoutingSettings = { ...input, userId: user.id };
      await db.leadRoutingSettings.put(saved);
      return saved;
    },
  };
}

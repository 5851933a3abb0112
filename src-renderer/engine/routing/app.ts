import type { routingContract } from '@shared/contract/routing';
import type { PlanId, UserId } from '@shared/model/ids';
import type { LeadRoutingSettings, RoutingRule } from '@shared/model/team';
import { canReceiveRoutedLeads, lendersNotRoutedReason } from '@shared/model/team';
import { conflict, notFound, validationFailed } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { can } from '../team/permissions';
import { getActionPlanSettings } from '../team/settings';
import { inOrder } from './match';
import { emptyRoutingSettings } from './route';

export function createRoutingHandlers(deps: EngineDeps): AreaHandlers<typeof routingContract> {
  const { db, clock } = deps;

  /** Everyone on the rule is on the team and may receive routed leads (no lenders: see canReceiveRoutedLeads). */
  async function assertAssignees(ids: string[]): Promise<void> {
    const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u]));
    if (ids.some((id) => !users.has(id))) {
      throw validationFailed('Some people on this rule are no longer on the team: pick them again', [
        { path: 'assigneeIds', message: 'Someone on this rule is not on the team' },
      ]);
    }
    const lenders = ids.map((id) => users.get(id)!).filter((u) => !canReceiveRoutedLeads(u.role));
    if (lenders.length) {
      const names = lenders.map((u) => u.name).join(', ');
      throw validationFailed(`${names} cannot receive routed leads. ${lendersNotRoutedReason}`, [
        { path: 'assigneeIds', message: `${names}: ${lendersNotRoutedReason}` },
      ]);
    }
  }

  /** An account has at most one default rule: two would make "the rest" ambiguous. */
  async function assertOneDefault(isDefault: boolean, id?: string): Promise<void> {
    if (!isDefault) return;
    const other = (await db.routingRules.toArray()).find((r) => r.isDefault && r.id !== id);
    if (other) {
      throw validationFailed(`“${other.name}” is already the default rule: edit that one, or untick “Default rule” here`, [
        { path: 'isDefault', message: `“${other.name}” is already the default rule` },
      ]);
    }
  }

  return {
    async 'routing.rules.list'() {
      return inOrder(await db.routingRules.toArray());
    },

    async 'routing.rules.create'(input) {
      await assertAssignees(input.assigneeIds);
      return db.transaction('rw', db.routingRules, async () => {
        await assertOneDefault(input.isDefault);
        const last = await db.routingRules.orderBy('order').last();
        const rule: RoutingRule = { ...input, id: deps.newId(), nextIndex: 0, order: (last?.order ?? 0) + 1, createdAt: clock.now() };
        await db.routingRules.add(rule);
        return rule;
      });
    },

    async 'routing.rules.update'({ id, rule: input }) {
      await assertAssignees(input.assigneeIds);
      return db.transaction('rw', db.routingRules, async () => {
        const before = await db.routingRules.get(id);
        if (!before) throw notFound('Routing rule', id);
        await assertOneDefault(input.isDefault, id);
        // The round-robin pointer stays in range when people are removed from the rule.
        const rule: RoutingRule = { ...before, ...input, nextIndex: before.nextIndex % input.assigneeIds.length };
        await db.routingRules.put(rule);
        return rule;
      });
    },

    // The order decides which rule takes a lead first; the whole list is sent so a stale screen
    // (a rule added or deleted meanwhile) is refused instead of silently misplacing rules.
    async 'routing.rules.reorder'({ ids }) {
      return db.transaction('rw', db.routingRules, async () => {
        const rules = new Map((await db.routingRules.toArray()).map((r) => [r.id, r]));
        const same = ids.length === rules.size && new Set(ids).size === ids.length && ids.every((id) => rules.has(id));
        if (!same) {
          throw conflict(
            'The routing rules changed since this list was shown (a rule was added or deleted). Nothing was moved: try again.',
            {
              ids,
            },
          );
        }
        const moved = ids.map((id, i) => ({ ...rules.get(id)!, order: i + 1 }));
        await db.routingRules.bulkPut(moved);
        return inOrder(moved);
      });
    },

    async 'routing.rules.delete'({ id }) {
      await db.routingRules.delete(id);
      return { deleted: true };
    },

    async 'routing.mySettings.get'(_p, { user }) {
      const settings = await getActionPlanSettings(db);
      const rules = inOrder((await db.routingRules.toArray()).filter((r) => r.assigneeIds.includes(user.id)));
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
            issues.push({
              path: `${path}.planId`,
              message: 'A personal plan for routed leads needs "Allow users to create personal action plans", which is off',
            });
        }
        if (lenderId) {
          if ((await db.users.get(lenderId))?.role !== 'lender') issues.push({ path: `${path}.lenderId`, message: 'Pick a lender' });
          if (!can('choosePreferredLender', user.role, settings)) {
            issues.push({
              path: `${path}.lenderId`,
              message: 'A preferred lender needs "Allow users to select a preferred lender", which is off',
            });
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

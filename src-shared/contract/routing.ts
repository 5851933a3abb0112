import { z } from 'zod';
import type { Plan } from '../model/plan';
import type { LeadRoutingSettings, RoutingRule, User } from '../model/team';
import { leadRoutingSettingsInputSchema, routingRuleInputSchema } from '../model/team';
import { method } from '../rpc/spec';

/** The Lead Routing Settings page: the rules routing to me (read-only), my choices, and what I can choose from. */
export interface MyRoutingView {
  rules: RoutingRule[];
  settings: LeadRoutingSettings;
  /** My personal plans that are ready (a routed lead can only be enrolled in a ready plan). */
  plans: Pick<Plan, 'id' | 'name'>[];
  lenders: Pick<User, 'id' | 'name'>[];
  canChoosePlan: boolean;
  canChooseLender: boolean;
}

export const routingContract = {
  'routing.rules.list': method<RoutingRule[]>()(z.object({})),
  'routing.rules.create': method<RoutingRule>()(routingRuleInputSchema),
  'routing.rules.update': method<RoutingRule>()(z.object({ id: z.string().min(1), rule: routingRuleInputSchema })),
  /** The full list of rule ids in their new order (the default rule is tried last whatever its place). */
  'routing.rules.reorder': method<RoutingRule[]>()(z.object({ ids: z.array(z.string().min(1)).min(1).max(1000) })),
  'routing.rules.delete': method<{ deleted: true }>()(z.object({ id: z.string().min(1) })),
  'routing.mySettings.get': method<MyRoutingView>()(z.object({})),
  'routing.mySettings.save': method<LeadRoutingSettings>()(leadRoutingSettingsInputSchema),
};

import type { UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';

/** Who a plan's tasks go to: the lead's agent, else its lender, else the plan's owner or author. */
export function taskAssignee(lead: Lead, plan: Plan): UserId {
  const a = lead.assignees;
  return a.buyerAgent ?? a.listingAgent ?? a.lender ?? (plan.scope.kind === 'personal' ? plan.scope.ownerUserId : plan.createdBy);
}

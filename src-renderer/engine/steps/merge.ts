import type { UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import type { MergeScope } from '../templates/render';
import { mergeScope } from '../templates/render';
import { rowOf } from '../store/tx-read-cache';

/** The merge scope for a plan message: the lead, the sending agent (lead's agent, else the plan's author), the account. */
export async function mergeScopeFor(deps: EngineDeps, lead: Lead, plan: Plan): Promise<MergeScope> {
  const id: UserId = lead.assignees.buyerAgent ?? lead.assignees.listingAgent ?? plan.createdBy;
  // From the transaction's cache when a step before in this pass read them (no request).
  const [user, account] = await Promise.all([
    Promise.resolve(rowOf(deps.db.users, id)).then((u) => u ?? deps.db.users.toCollection().first()),
    rowOf(deps.db.account, 'account'),
  ]);
  if (!user || !account) throw new Error('The account is not set up yet');
  return mergeScope(lead, user, account);
}

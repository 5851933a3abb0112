import type { UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import type { MergeScope } from '../templates/render';
import { mergeScope } from '../templates/render';
import type { Account, User } from '@shared/model/team';
import { cachedRow, MISS } from '../store/tx-read-cache';

/** The merge scope for a plan message: the lead, the sending agent (lead's agent, else the plan's author), the account. */
export async function mergeScopeFor(deps: EngineDeps, lead: Lead, plan: Plan): Promise<MergeScope> {
  const id: UserId = lead.assignees.buyerAgent ?? lead.assignees.listingAgent ?? plan.createdBy;
  // From the transaction's cache when a step before in this pass read them (no request, no await).
  let user = cachedRow<User>(deps.db.users, id);
  let account = cachedRow<Account>(deps.db.account, 'account');
  if (user === MISS || user === undefined || account === MISS) {
    const cachedAccount = account;
    [user, account] = await Promise.all([
      deps.db.users.get(id).then((u) => u ?? deps.db.users.toCollection().first()),
      cachedAccount !== MISS ? cachedAccount : deps.db.account.get('account'),
    ]);
  }
  if (!user || !account) throw new Error('The account is not set up yet');
  return mergeScope(lead, user, account);
}

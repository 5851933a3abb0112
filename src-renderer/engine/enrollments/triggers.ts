import type { Actor } from '@shared/model/enrollment';
import type { PlanId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { deriveIn, derivedIn, MISS } from '../store/tx-read-cache';
import { LIVE_STATES, tryEnroll } from './lifecycle';

/**
 * Which trigger of `plan` a lead change fires, in words, or null. A trigger fires on the change
 * (created with, or changed to, a listed source / stage, or a listed tag added), not on every save.
 */
export function firedTrigger(plan: Pick<Plan, 'triggers'>, before: Lead | null, after: Lead): string | null {
  const { sources, stages, tags } = plan.triggers;
  if (after.source && sources.includes(after.source) && before?.source !== after.source) return `source "${after.source}"`;
  if (stages.includes(after.stage) && before?.stage !== after.stage) return `stage "${after.stage}"`;
  const added = after.tags.filter((t) => !before?.tags.includes(t));
  const tag = added.find((t) => tags.includes(t));
  return tag ? `tag "${tag}"` : null;
}

const READY = 'ready';

/**
 * The Ready plans, read once per transaction (a scheduler pass fires triggers at every tag and stage
 * step; it reads them before its steps start): later calls in the transaction get them from
 * derivedIn at once. Shared, so read-only.
 */
export function readyPlans(deps: EngineDeps): Promise<readonly Plan[]> {
  return deriveIn(deps.db.plans, READY, () => deps.db.plans.where('status').equals('ready').toArray());
}

/**
 * Enrolls the lead in every Ready plan whose trigger this change fires; call inside the transaction
 * that changed the lead. Refusals (already enrolled, restart not allowed) are silent for triggers:
 * the trigger simply does not apply; a loop back into an automation chain is refused by tryEnroll.
 */
export async function fireTriggers(deps: EngineDeps, before: Lead | null, after: Lead, chain: PlanId[] = []): Promise<void> {
  // A change of nothing a trigger reads (a note, an assignee, the summary) fires none: no plan is read.
  if (before && before.source === after.source && before.stage === after.stage && after.tags.every((t) => before.tags.includes(t))) return;
  const known = derivedIn<readonly Plan[]>(deps.db.plans, READY);
  const plans = known !== MISS ? known : await readyPlans(deps);
  for (const plan of plans) {
    if (!firedTrigger(plan, before, after)) continue;
    const live = await deps.db.enrollments
      .where('[leadId+planId]')
      .equals([after.id, plan.id])
      .filter((e) => LIVE_STATES.has(e.state))
      .count();
    if (live > 0) continue;
    const actor: Actor = { kind: 'trigger', planId: plan.id };
    await tryEnroll(deps, after.id, plan.id, actor, { chain });
  }
}

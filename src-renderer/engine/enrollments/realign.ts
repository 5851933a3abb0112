import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { positionAt } from './position';

/**
 * After a plan is edited or switched Ready/draft: active enrollments keep their position by step id
 * and get their due time recomputed from the new timing. A draft plan never runs, so its
 * enrollments are held (no due time) until it is Ready again.
 */
export async function realignEnrollments(deps: EngineDeps, plan: Plan): Promise<void> {
  const { db } = deps;
  const active = await db.enrollments.where('[planId+state]').equals([plan.id, 'active']).toArray();
  for (const e of active) {
    if (e.nextStepId === null) continue;
    const step = plan.steps.find((s) => s.id === e.nextStepId);
    const lead = await db.leads.get(e.leadId);
    if (!lead) continue;
    const nextDueAt = plan.status === 'ready' && step ? positionAt(step, e, lead).nextDueAt : null;
    if (nextDueAt !== e.nextDueAt) await db.enrollments.update(e.id, { nextDueAt });
  }
}

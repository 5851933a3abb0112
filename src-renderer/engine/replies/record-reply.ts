import type { EnrollmentId, EpochMs, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';

export type ReplyChannel = 'email' | 'sms';

/**
 * A counted reply: every live enrollment of the lead turns engaged, and those in plans with
 * pause-on-reply pause (DESIGN §3), each with a history line. Call inside a transaction over
 * enrollments, plans and history. (The same rule as `enrollments.recordReply` of the engine
 * issue; kept here until that lands so reply detection does not wait for it.)
 */
export async function recordReply(
  deps: EngineDeps,
  input: { leadId: LeadId; channel: ReplyChannel; at: EpochMs; who: string },
): Promise<{ paused: EnrollmentId[] }> {
  const { db } = deps;
  const live = (await db.enrollments.where('leadId').equals(input.leadId).toArray()).filter(
    (e) => e.state === 'active' || e.state === 'paused',
  );
  const paused: EnrollmentId[] = [];
  for (const e of live) {
    const plan = await db.plans.get(e.planId);
    const pause = e.state === 'active' && plan?.pauseOnReply === true;
    await db.enrollments.put(
      pause
        ? { ...e, engaged: true, state: 'paused', pausedAt: input.at, nextDueAt: null, updatedAt: input.at }
        : { ...e, engaged: true, updatedAt: input.at },
    );
    if (!pause) continue;
    paused.push(e.id);
    await record(db, deps.newId(), {
      leadId: input.leadId,
      at: input.at,
      kind: 'stateChanged',
      summary: `Paused: "${plan.name}" because ${input.who} replied by ${input.channel === 'email' ? 'email' : 'text'}`,
      actor: { kind: 'system', reason: 'lead replied' },
      planId: plan.id,
      enrollmentId: e.id,
    });
  }
  return { paused };
}

import type { Actor, Enrollment } from '@shared/model/enrollment';
import type { EnrollmentId, EpochMs, LeadId, PlanId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { toLead } from '../leads/app';
import { positionFor } from './position';

export const LIVE_STATES: ReadonlySet<string> = new Set(['active', 'paused']);

export type EnrollAttempt = { ok: true; enrollment: Enrollment } | { ok: false; reason: string; code: 'NotFound' | 'Conflict' };

export interface EnrollOptions {
  /** Plans that led here automatically; the target must not be among them (loop guard). */
  chain?: PlanId[];
}

/**
 * Enrolls a lead in a plan inside the caller's transaction; never throws for a rule, so a plan step or
 * a trigger can record the refusal and carry on. Rules: draft plans never run; one live enrollment
 * per lead × plan; a plan that does not allow restart takes a lead only once; automation that would
 * come back to a plan it started from is a cycle.
 */
export async function tryEnroll(
  deps: EngineDeps,
  leadId: LeadId,
  planId: PlanId,
  actor: Actor,
  opts: EnrollOptions = {},
): Promise<EnrollAttempt> {
  const { db, clock } = deps;
  const [row, plan] = await Promise.all([db.leads.get(leadId), db.plans.get(planId)]);
  if (!row) return { ok: false, code: 'NotFound', reason: 'the lead no longer exists' };
  if (!plan) return { ok: false, code: 'NotFound', reason: 'the plan no longer exists' };
  const lead = toLead(row);
  const chain = opts.chain ?? [];
  if (chain.includes(planId)) {
    return { ok: false, code: 'Conflict', reason: `enrolling in "${plan.name}" again would loop (${chain.length + 1} plans in a cycle)` };
  }
  if (plan.status !== 'ready') {
    return {
      ok: false,
      code: 'Conflict',
      reason: `"${plan.name}" is a draft. Switch it to Ready before enrolling leads; draft plans never run.`,
    };
  }
  const previous = await db.enrollments.where('[leadId+planId]').equals([leadId, planId]).toArray();
  const live = previous.find((e) => LIVE_STATES.has(e.state));
  if (live) return { ok: false, code: 'Conflict', reason: `the lead is already in "${plan.name}" (${live.state})` };
  if (!plan.allowRestart && previous.some((e) => e.state !== 'removed')) {
    return { ok: false, code: 'Conflict', reason: `"${plan.name}" does not allow a lead to go through it again` };
  }
  const now = clock.now();
  const e: Enrollment = {
    id: deps.newId() as EnrollmentId,
    leadId,
    planId,
    state: 'active',
    iteration: 1,
    ran: { iteration: 1, stepIds: [] },
    ...positionFor(plan.steps[0], { startedAt: now }, lead, now),
    startedAt: now,
    enteredAt: now,
    prevStepId: null,
    waitingForTaskId: null,
    chain,
    pausedAt: null,
    engaged: false,
    enrolledBy: actor,
    exitReason: null,
    updatedAt: now,
  };
  await db.enrollments.add(e);
  await record(db, deps.newId(), {
    leadId,
    at: now,
    kind: 'enrolled',
    summary: `Enrolled in "${plan.name}"${describeActor(actor)}`,
    actor,
    planId,
    enrollmentId: e.id,
  });
  return { ok: true, enrollment: e };
}

function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return ` by ${actor.name}`;
    case 'trigger':
      return ' by the plan’s trigger';
    case 'step':
      return ' by a plan step';
    case 'routing':
      return ' by lead routing';
    case 'system':
      return ` (${actor.reason})`;
    case 'scheduler':
      return '';
  }
}

/**
 * The last step is done: the enrollment completes and, when the plan names a next plan, the lead is
 * enrolled there (DESIGN §3); a refusal (already there, a cycle) is recorded, never retried forever.
 */
export async function completeEnrollment(deps: EngineDeps, e: Enrollment, plan: Plan, lead: Lead, now: EpochMs, why = ''): Promise<void> {
  const { db } = deps;
  let exitReason = 'completed';
  const actor: Actor = { kind: 'system', reason: `next plan after "${plan.name}"` };
  let chained: EnrollAttempt | null = null;
  if (plan.nextPlanId) chained = await tryEnroll(deps, lead.id, plan.nextPlanId, actor, { chain: [...(e.chain ?? []), plan.id] });
  if (chained?.ok) {
    const next = await db.plans.get(chained.enrollment.planId);
    exitReason = `chained to plan "${next?.name ?? ''}"`;
  }
  await db.enrollments.put({
    ...e,
    state: 'completed',
    nextStepId: null,
    nextDueAt: null,
    waitingForTaskId: null,
    exitReason,
    updatedAt: now,
  });
  const history = { leadId: lead.id, at: now, actor: { kind: 'scheduler' as const }, planId: plan.id, enrollmentId: e.id };
  await record(db, deps.newId(), { ...history, kind: 'completed', summary: `Completed "${plan.name}"${why}` });
  if (chained && !chained.ok) {
    await record(db, deps.newId(), { ...history, kind: 'failed', summary: `Next plan not started: ${chained.reason}` });
  }
}

/** Pauses a live enrollment inside the caller's transaction (a plan step, a reply), with history. */
export async function pauseEnrollment(deps: EngineDeps, e: Enrollment, actor: Actor, why: string): Promise<boolean> {
  if (e.state !== 'active') return false;
  const now = deps.clock.now();
  await deps.db.enrollments.put({ ...e, state: 'paused', pausedAt: now, nextDueAt: null, updatedAt: now });
  const plan = await deps.db.plans.get(e.planId);
  await record(deps.db, deps.newId(), {
    leadId: e.leadId,
    at: now,
    kind: 'stateChanged',
    summary: `Paused: "${plan?.name ?? 'plan'}" (${why})`,
    actor,
    planId: e.planId,
    enrollmentId: e.id,
  });
  return true;
}

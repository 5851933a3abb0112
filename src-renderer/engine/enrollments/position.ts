import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, StepId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import { dueAt } from '../scheduler/timing';

export interface Position {
  nextStepId: StepId | null;
  nextDueAt: EpochMs | null;
}

/** The instant `step` is due by its timing alone, or null when it has no date (missing event date). */
export function rawDueAt(
  step: Step,
  enrollment: Pick<Enrollment, 'startedAt'>,
  lead: Pick<Lead, 'timeZone' | 'eventDates'>,
): EpochMs | null {
  const due = dueAt(step.timing, { startedAt: enrollment.startedAt, zone: lead.timeZone, eventDates: lead.eventDates });
  return due.kind === 'due' ? due.at : null;
}

/** Where an enrollment stands when it is about to run `step` (or has nothing left when step is undefined). */
export function positionAt(step: Step | undefined, enrollment: Pick<Enrollment, 'startedAt'>, lead: Lead): Position {
  if (!step) return { nextStepId: null, nextDueAt: null };
  return { nextStepId: step.id, nextDueAt: rawDueAt(step, enrollment, lead) };
}

/**
 * The position when the enrollment reaches `step` at `now`: never earlier than now, so lateness
 * measured later is downtime only (the misfire policy judges that), not the wait for earlier steps.
 * A step without a date is due now: the scheduler then skips it and records why.
 */
export function positionFor(step: Step | undefined, enrollment: Pick<Enrollment, 'startedAt'>, lead: Lead, now: EpochMs): Position {
  if (!step) return { nextStepId: null, nextDueAt: null };
  const raw = rawDueAt(step, enrollment, lead);
  return { nextStepId: step.id, nextDueAt: raw === null ? now : Math.max(raw, now) };
}

/**
 * The position when the enrollment moves on to `step` after its previous step, which was really
 * due at `previousDueAt`. Never earlier than that: the wait for earlier steps (a send window, a
 * review) is not lateness. Not clamped to now: when the computer was off, a step due meanwhile is
 * late by all that time, and the plan's missed-runs policy judges every such step, not only the
 * first one after waking (the scheduler runs anything due at or before now).
 */
export function positionAfter(
  step: Step | undefined,
  enrollment: Pick<Enrollment, 'startedAt'>,
  lead: Lead,
  previousDueAt: EpochMs,
): Position {
  if (!step) return { nextStepId: null, nextDueAt: null };
  const raw = rawDueAt(step, enrollment, lead);
  return { nextStepId: step.id, nextDueAt: raw === null ? previousDueAt : Math.max(raw, previousDueAt) };
}

export function stepAfter(plan: Plan, stepId: StepId): Step | undefined {
  const i = plan.steps.findIndex((s) => s.id === stepId);
  return i < 0 ? undefined : plan.steps[i + 1];
}

/**
 * Where an enrollment continues after a plan edit (DESIGN §3): at the same step id if it still
 * exists; if it was deleted, at the first later step of the old order that survived; else after the
 * step it passed last. Steps inserted before the position are never reached.
 */
export function mapPosition(
  oldPlan: Pick<Plan, 'steps'> | null,
  newPlan: Pick<Plan, 'steps'>,
  nextStepId: StepId,
  prevStepId: StepId | null,
): Step | undefined {
  const kept = newPlan.steps.find((s) => s.id === nextStepId);
  if (kept) return kept;
  const ids = new Set(newPlan.steps.map((s) => s.id));
  if (oldPlan) {
    const from = oldPlan.steps.findIndex((s) => s.id === nextStepId);
    if (from >= 0) {
      for (const s of oldPlan.steps.slice(from + 1)) if (ids.has(s.id)) return newPlan.steps.find((n) => n.id === s.id);
      for (const s of oldPlan.steps.slice(0, from).reverse()) if (ids.has(s.id)) return stepAfter(newPlan as Plan, s.id);
      return undefined;
    }
  }
  if (prevStepId && ids.has(prevStepId)) return stepAfter(newPlan as Plan, prevStepId);
  return prevStepId ? undefined : newPlan.steps[0];
}

/**
 * The steps an enrollment at `nextStepId` would still have run in `oldPlan` that it will not reach in
 * `newPlan` (deleted, or moved before its place), in the old order. The edit preview lists them and
 * the save records each one in the lead's history.
 */
export function stepsLeftBehind(
  oldPlan: Pick<Plan, 'steps'>,
  newPlan: Pick<Plan, 'steps'>,
  nextStepId: StepId,
  prevStepId: StepId | null,
): Step[] {
  const from = oldPlan.steps.findIndex((s) => s.id === nextStepId);
  if (from < 0) return [];
  const target = mapPosition(oldPlan, newPlan, nextStepId, prevStepId);
  const at = target ? newPlan.steps.findIndex((s) => s.id === target.id) : newPlan.steps.length;
  const reached = new Set(newPlan.steps.slice(at).map((s) => s.id));
  return oldPlan.steps.slice(from).filter((s) => !reached.has(s.id));
}

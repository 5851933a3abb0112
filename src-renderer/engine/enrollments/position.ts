import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, StepId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import { dueAt } from '../scheduler/timing';

export interface Position {
  nextStepId: StepId | null;
  nextDueAt: EpochMs | null;
}

/** Where an enrollment stands when it is about to run `step` (or has nothing left when step is undefined). */
export function positionAt(step: Step | undefined, enrollment: Pick<Enrollment, 'startedAt'>, lead: Lead): Position {
  if (!step) return { nextStepId: null, nextDueAt: null };
  const due = dueAt(step.timing, { startedAt: enrollment.startedAt, zone: lead.timeZone, eventDates: lead.eventDates });
  // A step without a date (e.g. its event date is missing) is held at the position, not run.
  return { nextStepId: step.id, nextDueAt: due.kind === 'due' ? due.at : null };
}

export function stepAfter(plan: Plan, stepId: StepId): Step | undefined {
  const i = plan.steps.findIndex((s) => s.id === stepId);
  return i < 0 ? undefined : plan.steps[i + 1];
}

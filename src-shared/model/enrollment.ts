import type { EnrollmentId, EpochMs, LeadId, PlanId, StepId, UserId } from './ids';

export type EnrollmentState = 'active' | 'paused' | 'stopped' | 'completed' | 'removed';

/** Who or what did something: shown in history as "by ...". */
export type Actor =
  | { kind: 'user'; userId: UserId; name: string }
  | { kind: 'scheduler' }
  | { kind: 'trigger'; planId: PlanId }
  | { kind: 'routing'; ruleId: string }
  | { kind: 'step'; planId: PlanId; stepId: StepId }
  | { kind: 'system'; reason: string };

/** The `runner` of an enrollment this computer runs (other computers' ids stand for themselves). */
export const HERE = 'here';

export interface Enrollment {
  id: EnrollmentId;
  leadId: LeadId;
  planId: PlanId;
  state: EnrollmentState;
  /**
   * The one computer that runs this enrollment's steps: HERE, or the id of another computer of the
   * team (docs/design.md §9). Filled in as HERE when a new row leaves it out.
   */
  runner?: string;
  /** Restart and repeat start a new iteration; executions are unique per iteration. */
  iteration: number;
  /** The step that runs next (kept by id so plan edits keep the position), or null when none is left. */
  nextStepId: StepId | null;
  /** When the next step is due; null when nothing is due (paused, stopped, completed). */
  nextDueAt: EpochMs | null;
  /** The anchor for relative timings of this iteration (shifted on resume by the paused time). */
  startedAt: EpochMs;
  pausedAt: EpochMs | null;
  /** When this iteration really began (never shifted): "already past at enrollment" is judged from it. */
  enteredAt?: EpochMs;
  /**
   * The steps that ran (have an execution) in iteration `iteration`, written in the same transaction
   * as each execution, so the scheduler need not read the executions before each step. Trusted only
   * for that iteration: absent or for another iteration, the executions are read instead.
   */
  ran?: { iteration: number; stepIds: StepId[] };
  /** The step passed last, so a deleted next step continues after it (plan edits). */
  prevStepId?: StepId | null;
  /** Traditional plans: the open task the next step waits for ("wait until the previous task is done"). */
  waitingForTaskId?: string | null;
  /** Plans that led here automatically (assignPlan, next plan): a cycle is reported, not run forever. */
  chain?: PlanId[];
  engaged: boolean;
  /** When the lead first replied during this enrollment (set with `engaged`; indexed per plan for the plan list's count). */
  engagedAt?: EpochMs | null;
  enrolledBy: Actor;
  exitReason: string | null;
  /**
   * The next step failed to run (an unreadable plan or lead, a bug): it is set aside with a growing
   * wait between tries, then paused with the reason (scheduler/set-aside.ts). Cleared when it runs or
   * the enrollment is resumed or restarted.
   */
  failure?: EnrollmentFailure | null;
  updatedAt: EpochMs;
}

/** Tries of a failing step before its enrollment is paused with the reason (engine/scheduler/set-aside.ts). */
export const MAX_STEP_TRIES = 5;

export interface EnrollmentFailure {
  stepId: StepId | null;
  /** Failed runs of that step so far. */
  attempts: number;
  reason: string;
  firstAt: EpochMs;
  /** When the step was really due before the first failure: lateness is still measured from it. */
  dueAt: EpochMs;
}

/** When the next step was really due: the misfire policy measures lateness from this. */
export const stepDueAt = (e: Pick<Enrollment, 'nextDueAt' | 'failure'>, now: EpochMs): EpochMs => e.failure?.dueAt ?? e.nextDueAt ?? now;

export type ExecutionOutcome = 'done' | 'skipped' | 'failed' | 'queued';

/** Proof that a step ran for one enrollment iteration: its key makes a second run impossible. */
export interface Execution {
  key: string;
  enrollmentId: EnrollmentId;
  leadId: LeadId;
  planId: PlanId;
  stepId: StepId;
  iteration: number;
  dueAt: EpochMs;
  at: EpochMs;
  outcome: ExecutionOutcome;
  reason: string | null;
}

export function executionKey(enrollment: Pick<Enrollment, 'id' | 'iteration'>, stepId: StepId): string {
  return `${enrollment.id}:${enrollment.iteration}:${stepId}`;
}

import type { Enrollment, ExecutionOutcome } from '@shared/model/enrollment';
import type { HistoryKind } from '@shared/model/history';
import type { EpochMs, OutboxId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step, StepKind } from '@shared/model/plan';
import type { EngineDeps } from '../deps';

/** Everything a step executor gets; it runs inside the step's transaction (DESIGN §5). */
export interface StepRun<K extends StepKind = StepKind> {
  deps: EngineDeps;
  enrollment: Enrollment;
  plan: Plan;
  lead: Lead;
  step: Extract<Step, { kind: K }>;
  now: EpochMs;
  /** The execution key enrollmentId:iteration:stepId; also the idempotency key of its outbox message. */
  key: string;
  /** "Step 2" or the step's name, for history lines. */
  label: string;
  /**
   * How a message step delivers (decided by run-step from the plan type, the step's review mode and
   * the missed-run policy): send by itself, hold for review, send unless reviewed, or become a task.
   */
  delivery: Delivery;
  /** What the step did that the scheduler must follow up: a task a later step may wait for, a repeat. */
  effects: StepEffects;
  skip(reason: string): StepOutcome;
  fail(reason: string): StepOutcome;
  done(summary: string): StepOutcome;
  /** Any other outcome, with the line that tells it (a message queued, held for review, a note). */
  outcome(o: Omit<StepOutcome, 'lineId'>): StepOutcome;
}

/**
 * What a step did, and the timeline line that tells it. run-step writes that line with the step's
 * execution on it, so every run is one line whose execution key the store keeps unique (DESIGN §2).
 */
export interface StepOutcome {
  outcome: ExecutionOutcome;
  reason: string | null;
  kind: HistoryKind;
  summary: string;
  outboxId?: OutboxId;
  /** Taken when the outcome was decided, so the line lists in the order things happened. */
  lineId: string;
}

export type Delivery =
  { mode: 'auto' } | { mode: 'review'; why: string } | { mode: 'sendUnlessReviewed'; hours: number } | { mode: 'task'; why: string };

export interface StepEffects {
  taskId: string | null;
  /** repeatPlan: start the next iteration from step one instead of moving on. */
  repeat: boolean;
}

/**
 * Runs one kind of step: applies internal effects and writes outbox messages through `run.deps.db`
 * (already inside the transaction), and returns its outcome; run-step records it.
 */
export type StepExecutor<K extends StepKind = StepKind> = (run: StepRun<K>) => StepOutcome | Promise<StepOutcome>;

import type { Actor, Execution } from './enrollment';
import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, StepId } from './ids';

export type HistoryKind =
  | 'leadCreated'
  | 'leadUpdated'
  | 'enrolled'
  | 'stateChanged'
  | 'queued'
  | 'sent'
  | 'skipped'
  | 'deferred'
  | 'heldForReview'
  | 'replied'
  | 'deliveryProblem'
  | 'failed'
  | 'completed'
  | 'stepRan'
  | 'note'
  | 'autoReplied'
  | 'optedOut';

/** One line of a lead's timeline: everything that happened, with who did it. */
export interface HistoryEntry {
  id: string;
  leadId: LeadId;
  at: EpochMs;
  kind: HistoryKind;
  summary: string;
  actor: Actor;
  planId: PlanId | null;
  enrollmentId: EnrollmentId | null;
  stepId: StepId | null;
  outboxId: OutboxId | null;
  detail: string | null;
  /**
   * On the line that tells what a step did: that run's execution (DESIGN §2). The store keeps its key
   * unique, so a step that ran can never write a second one.
   */
  execution?: Execution;
}

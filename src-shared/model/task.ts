import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, StepId, UserId } from './ids';

/**
 * Work for a person: a contact reminder or call from a plan step, a traditional plan's message to
 * review and send by hand, a "review first" message, or a task a user added to a lead.
 */
export type TaskKind = 'todo' | 'call' | 'reviewEmail' | 'reviewSms';
export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface Task {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  title: string;
  notes: string;
  leadId: LeadId;
  assigneeId: UserId;
  dueAt: EpochMs;
  createdAt: EpochMs;
  completedAt: EpochMs | null;
  /** Set when a plan step created the task. */
  planId: PlanId | null;
  enrollmentId: EnrollmentId | null;
  stepId: StepId | null;
  /** For review tasks: the message waiting for the user's "send now". */
  outboxId: OutboxId | null;
  /**
   * How a review task was closed, for the computer where its message waits (team server): "send now"
   * sends it there, anything else cancels it.
   */
  resolution?: 'sendNow' | 'closed';
}

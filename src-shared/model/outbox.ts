import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, StepId } from './ids';

export interface EmailMessage {
  to: string;
  toName: string;
  subject: string;
  html: string;
  text: string;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface DeliveryError {
  code: string;
  message: string;
  /** The server's own words, when it answered (e.g. "550 5.1.1 User unknown"). */
  response?: string;
  retryable: boolean;
  at: EpochMs;
}

/** An external effect, written with its execution and then dispatched with retries (DESIGN §5). */
export interface OutboxMessage {
  id: OutboxId;
  /** Unique per effect: the execution key. The host refuses to send the same key twice. */
  idempotencyKey: string;
  channel: 'email';
  leadId: LeadId;
  enrollmentId: EnrollmentId | null;
  planId: PlanId | null;
  stepId: StepId | null;
  email: EmailMessage;
  status: OutboxStatus;
  attempts: number;
  /** Earliest time of the next attempt; null once sent, failed for good or cancelled. */
  nextAttemptAt: EpochMs | null;
  createdAt: EpochMs;
  sentAt: EpochMs | null;
  providerMessageId: string | null;
  lastError: DeliveryError | null;
}

import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, StepId } from './ids';

export interface EmailMessage {
  to: string;
  toName: string;
  subject: string;
  html: string;
  text: string;
  /** The sending agent's name shown in From (the address stays the account's mailbox). */
  fromName?: string;
  /** Replies go to the sending agent. */
  replyTo?: string;
}

export interface SmsMessage {
  /** E.164 */
  to: string;
  body: string;
}

export interface WebhookRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: { name: string; value: string }[];
  /** JSON object of the flat payload (POST/PUT) or query parameters (GET). */
  payload: Record<string, string>;
}

export interface NotificationMessage {
  title: string;
  body: string;
}

/**
 * Which messages go first when a sending limit holds the queue back: a new lead's welcome and a reply
 * the user just approved ('high') before catch-up backlog ('normal'). Strings sort high < normal in the index.
 */
export type OutboxPriority = 'high' | 'normal';

/** `held`: waiting for a user's "send now" (review first, traditional plans, missed-run review queue). */
export type OutboxStatus = 'held' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface DeliveryError {
  code: string;
  message: string;
  /** The server's own words, when it answered (e.g. "550 5.1.1 User unknown"). */
  response?: string;
  retryable: boolean;
  at: EpochMs;
}

interface OutboxBase {
  id: OutboxId;
  /** Unique per effect: the execution key. The host refuses to send the same key twice. */
  idempotencyKey: string;
  leadId: LeadId;
  enrollmentId: EnrollmentId | null;
  planId: PlanId | null;
  stepId: StepId | null;
  status: OutboxStatus;
  attempts: number;
  /** Earliest time of the next attempt; null once sent, failed for good or cancelled. */
  nextAttemptAt: EpochMs | null;
  createdAt: EpochMs;
  sentAt: EpochMs | null;
  providerMessageId: string | null;
  lastError: DeliveryError | null;
  /** Filled in by the store when absent ('normal'); see OutboxPriority. */
  priority?: OutboxPriority;
  /**
   * The sending account whose limits this message counts against ("email", "sms", ...). Filled in by
   * the store from the channel when absent.
   */
  accountKey?: string;
}

/** An external effect, written with its execution and then dispatched with retries (DESIGN §5). */
export type OutboxMessage = OutboxBase &
  (
    | { channel: 'email'; email: EmailMessage }
    | { channel: 'sms'; sms: SmsMessage }
    | { channel: 'webhook'; webhook: WebhookRequest }
    | { channel: 'notification'; notification: NotificationMessage }
  );

export type OutboxChannel = OutboxMessage['channel'];

/** The account a message counts against; rows written before limits existed count against their channel. */
export const accountKeyOf = (m: Pick<OutboxMessage, 'accountKey' | 'channel'>): string => m.accountKey ?? m.channel;

/** One line that says what a message is, for history and the outbox screen. */
export function describeMessage(m: OutboxMessage): string {
  switch (m.channel) {
    case 'email':
      return `Email "${m.email.subject}" to ${m.email.to}`;
    case 'sms':
      return `Text to ${m.sms.to}`;
    case 'webhook':
      return `Webhook ${m.webhook.method} ${m.webhook.url}`;
    case 'notification':
      return `Notification "${m.notification.title}"`;
  }
}

import { z } from 'zod';
import type { EpochMs, OutboxId, PlanId, StepId } from '../model/ids';
import { leadId } from '../model/ids';
import type { OutboxChannel } from '../model/outbox';
import { method } from '../rpc/spec';

/** One rolling window of a sending account: how much of it is used right now. */
export interface QueueWindow {
  label: string;
  windowMs: number;
  used: number;
  max: number;
}

/** The queue of one sending account (a mailbox or the SMS gateway), as the outbox screen shows it. */
export interface SendingAccountQueue {
  key: string;
  channel: OutboxChannel | 'other';
  /** "jane@realty.example", "SMS gateway". */
  name: string;
  queued: number;
  windows: QueueWindow[];
  /** The provider pushed back: sending from this account waits until `until`. */
  pause: { until: EpochMs; since: EpochMs | null; reason: string | null; response: string | null } | null;
  /** When the next queued message may go out (null when nothing is queued). */
  nextSendAt: EpochMs | null;
  /** When the last queued message is expected to go out, at the account's limits. */
  allSentBy: EpochMs | null;
}

/** A lead's queued message and when it is expected to go out. */
export interface ExpectedSend {
  outboxId: OutboxId;
  planId: PlanId | null;
  stepId: StepId | null;
  summary: string;
  expectedAt: EpochMs;
  /** True when a sending limit or a provider pause holds it back past its due time. */
  delayed: boolean;
}

export const queueContract = {
  'outbox.queueStatus': method<SendingAccountQueue[]>()(z.object({})),
  'outbox.expectedFor': method<ExpectedSend[]>()(z.object({ leadId })),
};

import type { EpochMs, OutboxId } from '@shared/model/ids';
import type { DeliveryError, OutboxMessage } from '@shared/model/outbox';
import { accountKeyOf, describeMessage } from '@shared/model/outbox';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { getSetting } from '../settings/store';
import { MAX_ATTEMPTS, retryDelayMs, WAITING_CODES } from './backoff';
import { claimWithinLimits, releaseSend, settleSent } from './claim';
import { nextLaneWake, pickNext } from './lanes';
import { pauseForPushBack } from './pause';
import { pushBackOf } from './push-back';
import type { AttemptInfo, Delivered } from './channels';
import { attemptFromError, attemptRow, deliverNotification, deliverSms, deliverWebhook, notificationRow } from './channels';

/** At most this many sends per pass, so a long backlog never starves the step scheduler. */
const BATCH = 50;

/**
 * The earliest future attempt any sending account may make, so the loop can sleep until then
 * (an account whose window is full wakes the loop when it frees, not before).
 */
export async function nextAttemptAt(deps: EngineDeps): Promise<EpochMs | null> {
  // Paused sending has nothing to wake for; turning it off writes settings, which wakes the loop.
  if (await getSetting(deps.db, 'sendingPaused')) return null;
  return nextLaneWake(deps.db);
}

/**
 * After a crash or reload, a message left "sending" goes back to the queue. The host keeps a
 * journal of idempotency keys it has sent, so a message that did leave is not sent again.
 */
export async function recoverInterrupted(deps: EngineDeps): Promise<number> {
  return deps.db.outbox.where('[status+nextAttemptAt]').between(['sending', -Infinity], ['sending', Infinity]).modify({ status: 'queued' });
}

/**
 * Sends what is due, one message at a time, each at the earliest moment its account's limits allow:
 * high priority (speed to lead, approved replies) before backlog, then in due order. Returns how many
 * were attempted.
 */
export async function dispatchDue(deps: EngineDeps): Promise<number> {
  if (await getSetting(deps.db, 'sendingPaused')) return 0;
  const held = new Set<string>();
  let attempted = 0;
  while (attempted < BATCH) {
    const next = await pickNext(deps.db, deps.clock.now(), held);
    if (!next) break;
    const result = await claimWithinLimits(deps, next.id);
    if ('heldUntil' in result) held.add(accountKeyOf(next));
    if (!('claimed' in result)) continue;
    attempted++;
    await dispatchOne(deps, result.claimed);
  }
  return attempted;
}

async function dispatchOne(deps: EngineDeps, m: OutboxMessage): Promise<void> {
  let receipt: Delivered;
  try {
    receipt = await deliver(deps, m);
  } catch (err) {
    await markFailedAttempt(deps, m, toDeliveryError(err, deps.clock.now()), attemptFromError(err));
    return;
  }
  // Outside the try: if recording the send fails, the message was still sent. It stays "sending",
  // is re-queued on restart, and the host's idempotency journal answers "already sent".
  await markSent(deps, m, receipt.messageId, receipt.response, receipt.attempt);
}

/** Hands one message to the host adapter of its channel. */
async function deliver(deps: EngineDeps, m: OutboxMessage): Promise<Delivered> {
  switch (m.channel) {
    case 'email': {
      const account = await getSetting(deps.db, 'emailAccount');
      if (!account) {
        throw new AppError('DeliveryFailed', 'No email account is set up. Add one in Settings → Email; the message is kept until then.', {
          deliveryCode: 'NoEmailAccount',
          retryable: true,
        });
      }
      return deps.host.call('email.send', { account, message: m.email, idempotencyKey: m.idempotencyKey });
    }
    case 'sms':
      return deliverSms(deps, m);
    case 'webhook':
      return deliverWebhook(deps, m);
    case 'notification':
      return deliverNotification(deps, m);
  }
}

function toDeliveryError(err: unknown, at: EpochMs): DeliveryError {
  if (err instanceof AppError) {
    const d = err.details ?? {};
    const code = typeof d.deliveryCode === 'string' ? d.deliveryCode : err.code;
    const response = typeof d.response === 'string' ? d.response : undefined;
    const retryable = typeof d.retryable === 'boolean' ? d.retryable : err.code === 'HostUnavailable';
    return response === undefined ? { code, message: err.message, retryable, at } : { code, message: err.message, response, retryable, at };
  }
  // The host could not be reached at all (offline, host restarting): wait and try again.
  return {
    code: 'HostUnavailable',
    message: `The app's mail service did not answer (${err instanceof Error ? err.message : String(err)}). The message is kept and will be retried.`,
    retryable: true,
    at,
  };
}

async function markSent(deps: EngineDeps, m: OutboxMessage, messageId: string, response: string, attempt?: AttemptInfo): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  await db.transaction('rw', [db.outbox, db.history, db.sends, db.sendLanes, db.deliveries], async () => {
    await settleSent(deps, m, now);
    await db.outbox.put({ ...m, status: 'sent', nextAttemptAt: null, sentAt: now, providerMessageId: messageId, lastError: null });
    // A notification is about something already in the history; it does not need a line of its own.
    if (m.channel === 'notification') return;
    await db.deliveries.add(attemptRow(deps, m, now, true, attempt, null, response));
    await record(db, deps.newId(), {
      leadId: m.leadId,
      at: now,
      kind: 'sent',
      summary: `Sent ${describeMessage(m).replace(/^\w/, (c) => c.toLowerCase())}`,
      actor: { kind: 'scheduler' },
      planId: m.planId,
      enrollmentId: m.enrollmentId,
      stepId: m.stepId,
      outboxId: m.id,
      detail: response,
    });
  });
}

async function markFailedAttempt(deps: EngineDeps, m: OutboxMessage, error: DeliveryError, attempt?: AttemptInfo): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  const pushBack = pushBackOf(error);
  if (pushBack) return pauseForPushBack(deps, m, pushBack, error);
  const waits = WAITING_CODES.has(error.code);
  const final = !error.retryable || (!waits && m.attempts >= MAX_ATTEMPTS);
  const next: OutboxMessage = final
    ? { ...m, status: 'failed', nextAttemptAt: null, lastError: error }
    : // An outage (server or network down) hits every message alike: no jitter, so they come back in the
      // order they were written (ids sort by creation); the per-account pace already spreads the burst.
      { ...m, status: 'queued', nextAttemptAt: now + retryDelayMs(m.attempts, waits ? () => 0.5 : Math.random), lastError: error };
  // One history line per new problem, not one per retry: the monitor shows every attempt.
  const repeated = m.lastError?.code === error.code && !final;
  await db.transaction('rw', [db.outbox, db.history, db.sends, db.deliveries], async () => {
    await releaseSend(deps, m);
    await db.outbox.put(next);
    if (m.channel !== 'notification') await db.deliveries.add(attemptRow(deps, m, now, false, attempt, error.code, error.message));
    if (final && m.channel !== 'notification') await notifyFailure(deps, m, error, now);
    // A desktop notification is about the app, not the lead: its own trouble stays in the outbox.
    if (repeated || m.channel === 'notification') return;
    // A webhook that is not through yet is worth knowing about at once (DESIGN §3), not only when given up.
    if (!final && m.channel === 'webhook') {
      const body = `${describeMessage(m)}: ${error.message}`;
      await db.outbox.add(
        notificationRow(deps, m, `notify:${m.idempotencyKey}:problem:${m.attempts}`, 'Webhook not delivered yet', body, now),
      );
    }
    await record(db, deps.newId(), {
      leadId: m.leadId,
      at: now,
      kind: final ? 'failed' : 'deliveryProblem',
      summary: final ? `${describeMessage(m)} failed: ${error.message}` : `${describeMessage(m)} not sent yet: ${error.message}`,
      actor: { kind: 'scheduler' },
      planId: m.planId,
      enrollmentId: m.enrollmentId,
      stepId: m.stepId,
      outboxId: m.id,
      detail: error.response ?? null,
    });
  });
}

/**
 * A message failed for good: the user hears of it through a desktop notification (an outbox row of
 * its own, delivered by the host), besides the history line and the outbox entry with diagnostics.
 */
async function notifyFailure(deps: EngineDeps, m: OutboxMessage, error: DeliveryError, now: EpochMs): Promise<void> {
  const notification: OutboxMessage = {
    id: deps.newId() as OutboxId,
    idempotencyKey: `notify:${m.idempotencyKey}`,
    channel: 'notification',
    notification: { title: `${m.channel === 'webhook' ? 'Webhook' : 'Message'} failed`, body: `${describeMessage(m)}: ${error.message}` },
    leadId: m.leadId,
    enrollmentId: m.enrollmentId,
    planId: m.planId,
    stepId: m.stepId,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
  };
  if (!(await deps.db.outbox.where('idempotencyKey').equals(notification.idempotencyKey).count())) await deps.db.outbox.add(notification);
}

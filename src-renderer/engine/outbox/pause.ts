import type { OutboxId } from '@shared/model/ids';
import type { DeliveryError, OutboxMessage } from '@shared/model/outbox';
import { accountKeyOf } from '@shared/model/outbox';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { pauseLane, releaseSend } from './claim';
import type { PushBack } from './push-back';

const REASONS: Record<PushBack, string> = {
  rate: 'the mail server says the account is sending too fast',
  quota: 'the mail server says the account has used its sending quota',
};

/**
 * The provider pushed back: the account pauses until its window frees, this message waits for the
 * end of the pause without using up its attempts (it did nothing wrong), and the user is told once
 * per pause, with the server's words, not once per message.
 */
export async function pauseForPushBack(deps: EngineDeps, m: OutboxMessage, kind: PushBack, error: DeliveryError): Promise<void> {
  const { db } = deps;
  await db.transaction('rw', [db.outbox, db.history, db.sends, db.sendLanes], async () => {
    await releaseSend(deps, m);
    const reason = REASONS[kind];
    const pause = await pauseLane(deps, m, kind, error.response ?? null, reason);
    await db.outbox.put({ ...m, status: 'queued', attempts: Math.max(0, m.attempts - 1), nextAttemptAt: pause.until, lastError: error });
    if (!pause.isNew) return;
    const now = deps.clock.now();
    // One desktop notification per pause (not one per waiting message): its key names the pause.
    const notification: OutboxMessage = {
      id: deps.newId() as OutboxId,
      idempotencyKey: `pause:${accountKeyOf(m)}:${pause.until}`,
      channel: 'notification',
      notification: {
        title: 'Sending paused by your mail provider',
        body: `${reason}; queued messages go out by themselves when it allows again.`,
      },
      leadId: m.leadId,
      enrollmentId: null,
      planId: null,
      stepId: null,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      sentAt: null,
      providerMessageId: null,
      lastError: null,
    };
    if (!(await db.outbox.where('idempotencyKey').equals(notification.idempotencyKey).count())) await db.outbox.add(notification);
    await record(db, deps.newId(), {
      leadId: m.leadId,
      at: deps.clock.now(),
      kind: 'deliveryProblem',
      summary: `Sending paused: ${reason}. Queued messages go out by themselves when it allows again; nothing is lost.`,
      actor: { kind: 'scheduler' },
      planId: m.planId,
      enrollmentId: m.enrollmentId,
      stepId: m.stepId,
      outboxId: m.id,
      detail: error.response ?? error.message,
    });
  });
}

import type { OutboxMessage } from '@shared/model/outbox';
import { getChannelSetting } from '../channels/store';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { attemptRow, notificationRow } from '../outbox/channels';

/** Gateways settle a text's fate within minutes; after a day the status is no longer asked. */
const WATCH_MS = 24 * 3_600_000;
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'read']);

/**
 * Delivery status of texts sent in the last day, when the gateway reports it: a delivered text is
 * noted once in the lead's history; an undelivered one says why, as a failure with a notification.
 */
export async function checkSmsStatuses(deps: EngineDeps): Promise<number> {
  const gateway = await getChannelSetting(deps.db, 'smsGateway');
  if (gateway?.preset !== 'twilio') return 0;
  const now = deps.clock.now();
  const recent = await deps.db.outbox
    .where('createdAt')
    .between(now - WATCH_MS, now, true, true)
    .toArray();
  const texts = recent.filter(
    (m): m is Extract<OutboxMessage, { channel: 'sms' }> => m.channel === 'sms' && m.status === 'sent' && !!m.providerMessageId,
  );
  let settled = 0;
  for (const m of texts) {
    const key = `sms-status:${m.id}`;
    if (await deps.db.inbound.get(key)) continue;
    const { status, error } = await deps.host.call('sms.status', { gateway, messageId: m.providerMessageId! });
    if (!FINAL.has(status)) continue;
    settled++;
    const ok = status === 'delivered' || status === 'read';
    const { db } = deps;
    await db.transaction('rw', [db.inbound, db.history, db.deliveries, db.outbox], async () => {
      if (await db.inbound.get(key)) return;
      await db.inbound.add({ id: key, leadId: m.leadId, at: now });
      const words = ok ? `Text to ${m.sms.to} delivered` : `Text to ${m.sms.to} was not delivered (${status}${error ? `, ${error}` : ''})`;
      await db.deliveries.add(
        attemptRow(deps, m, now, ok, { status: null, responseExcerpt: words, durationMs: null, request: null }, ok ? null : status, words),
      );
      await record(db, deps.newId(), {
        leadId: m.leadId,
        at: now,
        kind: ok ? 'note' : 'failed',
        summary: words,
        actor: { kind: 'system', reason: 'SMS gateway status' },
        planId: m.planId,
        enrollmentId: m.enrollmentId,
        stepId: m.stepId,
        outboxId: m.id,
      });
      if (!ok) await db.outbox.add(notificationRow(deps, m, `${key}:notice`, 'Text message not delivered', words, now));
    });
  }
  return settled;
}

import type { ExpectedSend, queueContract, SendingAccountQueue } from '@shared/contract/queue';
import { accountKeyOf, describeMessage } from '@shared/model/outbox';
import type { OutboxMessage } from '@shared/model/outbox';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { getSetting } from '../settings/store';
import { queuedLanes, rulesFor } from './lanes';
import { expectedAt, forecastLane } from './queue-eta';
import { sendsInWindow } from './rate-window';

function channelOf(key: string): SendingAccountQueue['channel'] {
  const channel = key.split(':')[0];
  return channel === 'email' || channel === 'sms' || channel === 'webhook' || channel === 'notification' ? channel : 'other';
}

export function createQueueHandlers(deps: EngineDeps): AreaHandlers<typeof queueContract> {
  const { db } = deps;

  async function nameOf(key: string): Promise<string> {
    const channel = channelOf(key);
    if (channel === 'email') return (await getSetting(db, 'emailAccount'))?.fromEmail ?? 'Email (no account set up yet)';
    if (channel === 'sms') return 'SMS gateway';
    if (channel === 'webhook') return 'Webhooks';
    if (channel === 'notification') return 'Notifications';
    return key;
  }

  async function status(key: string): Promise<SendingAccountQueue> {
    const now = deps.clock.now();
    const rules = await rulesFor(db, key);
    const lane = await db.sendLanes.get(key);
    const windows = await Promise.all(
      rules.map(async (r) => ({ label: r.label, windowMs: r.windowMs, max: r.max, used: await sendsInWindow(db, key, r.windowMs, now) })),
    );
    const forecast = await forecastLane(db, key, rules, lane, now);
    const paused = lane?.pausedUntil != null && lane.pausedUntil > now;
    return {
      key,
      channel: channelOf(key),
      name: await nameOf(key),
      windows,
      pause: paused
        ? { until: lane.pausedUntil ?? now, since: lane.pausedAt, reason: lane.pauseReason, response: lane.pauseResponse }
        : null,
      ...forecast,
    };
  }

  return {
    async 'outbox.queueStatus'() {
      const keys = new Set(await queuedLanes(db));
      // The mailbox shows even with an empty queue, so the user sees its limits and what is used.
      if (await getSetting(db, 'emailAccount')) keys.add('email');
      return Promise.all([...keys].sort().map(status));
    },

    async 'outbox.expectedFor'({ leadId }) {
      const now = deps.clock.now();
      const queued = (await db.outbox.where('leadId').equals(leadId).toArray()).filter((m): m is OutboxMessage => m.status === 'queued');
      const out: ExpectedSend[] = [];
      for (const m of queued) {
        const key = accountKeyOf(m);
        const at = await expectedAt(db, m, key, await rulesFor(db, key), await db.sendLanes.get(key), now);
        out.push({
          outboxId: m.id,
          planId: m.planId,
          stepId: m.stepId,
          summary: describeMessage(m),
          expectedAt: at,
          // Without a limit or a pause holding it, the estimate is exactly its due time (or now).
          delayed: at > Math.max(now, m.nextAttemptAt ?? now),
        });
      }
      return out.sort((a, b) => a.expectedAt - b.expectedAt);
    },
  };
}

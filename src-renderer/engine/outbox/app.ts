import type { outboxContract } from '@shared/contract/outbox';
import type { OutboxId } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { describeMessage } from '@shared/model/outbox';
import { conflict, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';

async function getMessage(deps: EngineDeps, id: OutboxId): Promise<OutboxMessage> {
  const m = await deps.db.outbox.get(id);
  if (!m) throw notFound('Message', id);
  return m;
}

export function createOutboxHandlers(deps: EngineDeps): AreaHandlers<typeof outboxContract> {
  const { db, clock } = deps;
  return {
    async 'outbox.list'({ leadId, planId, channel, status, limit }) {
      const matches = (m: OutboxMessage) =>
        (!planId || m.planId === planId) && (!channel || m.channel === channel) && (!status || m.status === status);
      const rows = leadId
        ? (await db.outbox.where('leadId').equals(leadId).toArray()).filter(matches)
        : await db.outbox.orderBy('createdAt').reverse().filter(matches).limit(limit).toArray();
      return rows.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },

    async 'outbox.retry'({ id }, { user }) {
      const updated = await db.transaction('rw', db.outbox, db.history, async () => {
        const m = await getMessage(deps, id);
        if (m.status !== 'queued' && m.status !== 'failed')
          throw conflict(`This message is ${m.status}; only queued or failed messages can be retried.`, { status: m.status });
        const now = clock.now();
        const next: OutboxMessage = { ...m, status: 'queued', nextAttemptAt: now };
        await db.outbox.put(next);
        await record(db, deps.newId(), {
          leadId: m.leadId,
          at: now,
          kind: 'queued',
          summary: `Retry requested: ${describeMessage(m)}`,
          actor: userActor(user),
          outboxId: m.id,
          planId: m.planId,
          enrollmentId: m.enrollmentId,
        });
        return next;
      });
      deps.wake();
      return updated;
    },

    async 'outbox.cancel'({ id }, { user }) {
      return db.transaction('rw', db.outbox, db.history, async () => {
        const m = await getMessage(deps, id);
        if (m.status !== 'queued' && m.status !== 'failed' && m.status !== 'held')
          throw conflict(`This message is ${m.status} and can no longer be cancelled.`, { status: m.status });
        const now = clock.now();
        const next: OutboxMessage = { ...m, status: 'cancelled', nextAttemptAt: null };
        await db.outbox.put(next);
        await record(db, deps.newId(), {
          leadId: m.leadId,
          at: now,
          kind: 'skipped',
          summary: `Cancelled by ${user.name}: ${describeMessage(m)}`,
          actor: userActor(user),
          outboxId: m.id,
          planId: m.planId,
          enrollmentId: m.enrollmentId,
        });
        return next;
      });
    },
  };
}

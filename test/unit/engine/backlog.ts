import type { LeadId, OutboxId } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { nextAttemptAt } from '../../../src-renderer/engine/outbox/dispatcher';
import type { AppDb } from '../../../src-renderer/engine/store/db';
import type { TestEngine } from './harness';
import { MINUTE } from './harness';

/**
 * Plan emails that fell due while the laptop was closed: one per minute from `firstDue`, as the
 * scheduler writes them (channel email, normal priority filled in by the store).
 */
export async function queueBacklog(db: AppDb, count: number, firstDue: number, prefix = 'backlog'): Promise<string[]> {
  const rows: OutboxMessage[] = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(6, '0')}` as OutboxId,
    idempotencyKey: `${prefix}:${i}`,
    channel: 'email',
    leadId: `lead-${i}` as LeadId,
    enrollmentId: null,
    planId: null,
    stepId: null,
    email: { to: `lead${i}@example.com`, toName: `Lead ${i}`, subject: `Catching up ${i}`, html: '<p>Hi</p>', text: 'Hi' },
    status: 'queued',
    attempts: 0,
    nextAttemptAt: firstDue + i * MINUTE,
    createdAt: firstDue + i * MINUTE,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
  }));
  await db.outbox.bulkAdd(rows);
  return rows.map((r) => r.idempotencyKey);
}

/**
 * Runs the scheduler the way its loop does, with the fake clock jumping to each wake-up the engine
 * asks for, until nothing is left or the clock would pass `until`.
 */
export async function drain(engines: TestEngine[], until = Infinity): Promise<void> {
  const [first] = engines;
  if (!first) return;
  for (let pass = 0; pass < 100_000; pass++) {
    await Promise.all(engines.map((e) => e.tick()));
    const next = await nextAttemptAt(first.engine.deps);
    if (next === null || next > until) return;
    if (next > first.clock.now()) first.clock.set(next);
  }
  throw new Error('the outbox never drained');
}

/** When each message went out, in order, from the store. */
/** When each email went out (desktop notifications about the mailbox are not mailbox sends). */
export async function sentTimes(db: AppDb): Promise<number[]> {
  const sent = (await db.outbox.toArray()).filter((m) => m.status === 'sent' && m.channel === 'email');
  return sent.map((m) => m.sentAt ?? NaN).sort((a, b) => a - b);
}

/** The most sends any window of `windowMs` (wherever it starts) ever held. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

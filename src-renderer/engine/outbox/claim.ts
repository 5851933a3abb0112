import type { EpochMs } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { accountKeyOf } from '@shared/model/outbox';
import { DAY_MS } from '@shared/model/send-limits';
import type { EngineDeps } from '../deps';
import type { SendLaneRow } from '../store/db';
import { laneOpensAt, rulesFor } from './lanes';
import type { PushBack } from './push-back';
import { pauseUntil } from './push-back';
import { earliestAllowed } from './rate-window';

export type ClaimResult = { claimed: OutboxMessage } | { heldUntil: EpochMs } | { gone: true };

const sendId = (m: OutboxMessage): string => `${m.id}:${m.attempts}`;
const emptyLane = (key: string): SendLaneRow => ({
  key,
  notBefore: null,
  pausedUntil: null,
  pausedAt: null,
  pauseResponse: null,
  pauseReason: null,
  throttles: 0,
});

/**
 * Claims a message for sending only if its account's windows have room, in ONE transaction with the
 * send's reservation: two engines on one database can never both take the last slot of a window.
 * When the window is full, the account is marked "not before" the instant it frees, so the loop
 * sleeps until then instead of asking again.
 */
export async function claimWithinLimits(deps: EngineDeps, id: OutboxMessage['id']): Promise<ClaimResult> {
  const { db } = deps;
  return db.transaction('rw', [db.outbox, db.sends, db.sendLanes, db.settings], async () => {
    const now = deps.clock.now();
    const m = await db.outbox.get(id);
    if (!m || m.status !== 'queued' || m.nextAttemptAt === null || m.nextAttemptAt > now) return { gone: true };
    const key = accountKeyOf(m);
    const lane = await db.sendLanes.get(key);
    const opens = laneOpensAt(lane);
    if (opens > now) return { heldUntil: opens };
    const allowedAt = await earliestAllowed(db, key, await rulesFor(db, key), now);
    if (allowedAt > now) {
      await db.sendLanes.put({ ...(lane ?? emptyLane(key)), notBefore: allowedAt });
      return { heldUntil: allowedAt };
    }
    const claimed: OutboxMessage = { ...m, status: 'sending', attempts: m.attempts + 1 };
    await db.outbox.put(claimed);
    await db.sends.put({ id: sendId(claimed), key, at: now, outboxId: m.id });
    return { claimed };
  });
}

/** After a successful send: forget old sends (nothing counts beyond a day) and end a push-back streak. */
export async function settleSent(deps: EngineDeps, m: OutboxMessage, now: EpochMs): Promise<void> {
  const { db } = deps;
  const key = accountKeyOf(m);
  await db.sends
    .where('[key+at]')
    .between([key, -Infinity], [key, now - DAY_MS - 60_000])
    .delete();
  const lane = await db.sendLanes.get(key);
  if (lane && lane.throttles > 0) await db.sendLanes.update(key, { throttles: 0 });
}

/** Nothing left: the attempt does not count against the windows. */
export async function releaseSend(deps: EngineDeps, m: OutboxMessage): Promise<void> {
  await deps.db.sends.delete(sendId(m));
}

/**
 * Pauses the account after provider push-back. Returns the pause and whether it starts a new episode
 * (push-backs with no successful send between them are one episode: the user is told once).
 */
export async function pauseLane(
  deps: EngineDeps,
  m: OutboxMessage,
  kind: PushBack,
  response: string | null,
  reason: string,
): Promise<{ until: EpochMs; isNew: boolean }> {
  const { db } = deps;
  const now = deps.clock.now();
  const key = accountKeyOf(m);
  const lane = (await db.sendLanes.get(key)) ?? emptyLane(key);
  const oldest = await db.sends
    .where('[key+at]')
    .between([key, now - DAY_MS], [key, now], false, true)
    .first();
  const throttles = lane.throttles + 1;
  const until = pauseUntil(kind, now, oldest?.at ?? null, throttles);
  const isNew = lane.throttles === 0;
  const pausedUntil = Math.max(until, lane.pausedUntil ?? -Infinity);
  await db.sendLanes.put({
    ...lane,
    throttles,
    pausedUntil,
    pausedAt: isNew ? now : lane.pausedAt,
    pauseResponse: response,
    pauseReason: reason,
  });
  return { until: pausedUntil, isNew };
}

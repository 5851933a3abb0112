import type { EpochMs } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import type { LimitRule } from '@shared/model/send-limits';
import type { AppDb, SendLaneRow } from '../store/db';
import { INDEX, laneOpensAt, PRIORITIES } from './lanes';
import { simulateSends } from './rate-window';

/**
 * Estimates when queued messages go out, by replaying the dispatcher's rule (priority, then due
 * time, each at the earliest instant the windows allow) over what the store holds. Messages already
 * due are counted through the index, not read, so a 100k backlog costs a count, not a scan.
 */
export interface LaneForecast {
  queued: number;
  nextSendAt: EpochMs | null;
  allSentBy: EpochMs | null;
}

const range = (key: string, p: string, from: number, to: number) =>
  [['queued', key, p, from] as unknown[], ['queued', key, p, to] as unknown[]] as const;

async function pastSends(db: AppDb, key: string, rules: readonly LimitRule[], now: EpochMs): Promise<EpochMs[]> {
  const widest = Math.max(0, ...rules.map((r) => r.windowMs));
  if (widest === 0) return [];
  const rows = await db.sends
    .where('[key+at]')
    .between([key, now - widest], [key, now], false, true)
    .toArray();
  return rows.map((r) => r.at);
}

/** Due times of the lane's queued messages in sending order: everything due now first (by priority), then the rest by time. */
async function dueTimesInOrder(db: AppDb, key: string, now: EpochMs): Promise<EpochMs[]> {
  const times: EpochMs[] = [];
  const later: EpochMs[] = [];
  for (const p of PRIORITIES) {
    const dueNow = await db.outbox
      .where(INDEX)
      .between(...range(key, p, -Infinity, now), true, true)
      .count();
    for (let i = 0; i < dueNow; i++) times.push(now);
    await db.outbox
      .where(INDEX)
      .between(...range(key, p, now, Infinity), false, true)
      .eachKey((k) => {
        const due = (k as unknown[])[3];
        if (typeof due === 'number') later.push(due);
      });
  }
  return times.concat(later.sort((a, b) => a - b));
}

export async function forecastLane(
  db: AppDb,
  key: string,
  rules: readonly LimitRule[],
  lane: SendLaneRow | undefined,
  now: EpochMs,
): Promise<LaneForecast> {
  const dues = await dueTimesInOrder(db, key, now);
  if (dues.length === 0) return { queued: 0, nextSendAt: null, allSentBy: null };
  const start = Math.max(now, laneOpensAt(lane));
  const times = simulateSends(await pastSends(db, key, rules, now), dues, rules, start);
  return { queued: dues.length, nextSendAt: times[0] ?? null, allSentBy: times.at(-1) ?? null };
}

/** When one queued message is expected to go out: after every message the dispatcher would pick before it. */
export async function expectedAt(
  db: AppDb,
  m: OutboxMessage,
  key: string,
  rules: readonly LimitRule[],
  lane: SendLaneRow | undefined,
  now: EpochMs,
): Promise<EpochMs> {
  const due = Math.max(m.nextAttemptAt ?? now, now);
  const own = m.priority ?? 'normal';
  let ahead = 0;
  for (const p of PRIORITIES) {
    // Due now: higher priorities go first, then same priority due earlier. Later: anything due earlier.
    const upTo = p === own ? (m.nextAttemptAt ?? now) : p === 'high' && own === 'normal' ? Math.max(due, now) : -Infinity;
    if (upTo === -Infinity) continue;
    ahead += await db.outbox
      .where(INDEX)
      .between(...range(key, p, -Infinity, upTo), true, false)
      .count();
  }
  const dues: EpochMs[] = Array.from({ length: ahead }, () => now);
  dues.push(due);
  const times = simulateSends(await pastSends(db, key, rules, now), dues, rules, Math.max(now, laneOpensAt(lane)));
  return times.at(-1) ?? due;
}

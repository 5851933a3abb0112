import Dexie from 'dexie';
import type { EpochMs } from '@shared/model/ids';
import type { OutboxMessage, OutboxPriority } from '@shared/model/outbox';
import type { LimitRule } from '@shared/model/send-limits';
import { emailLimitRules, smsLimitRules } from '@shared/model/send-limits';
import { accountLimits } from '../settings/limits';
import { getSetting } from '../settings/store';
import type { AppDb, SendLaneRow } from '../store/db';

/**
 * A lane is one sending account's queue: every message counts against the limits of its account
 * (`accountKey`). Picking reads the [status+accountKey+priority+nextAttemptAt] index: a few seeks per
 * lane, never a scan, so the time to pick does not grow with the queue.
 */
export const INDEX = '[status+accountKey+priority+nextAttemptAt]';
export const PRIORITIES: readonly OutboxPriority[] = ['high', 'normal'];

/** The limits of a lane, from the account's settings; lanes without limits (webhooks, notifications) get none. */
export async function rulesFor(db: AppDb, key: string): Promise<LimitRule[]> {
  if (key === 'email' || key.startsWith('email:')) {
    const account = await getSetting(db, 'emailAccount');
    return account ? emailLimitRules(accountLimits(account)) : [];
  }
  if (key === 'sms' || key.startsWith('sms:')) return smsLimitRules(await getSetting(db, 'smsLimits'));
  return [];
}

/** Every account with queued messages, by jumping from one key to the next in the index. */
export async function queuedLanes(db: AppDb): Promise<string[]> {
  const lanes: string[] = [];
  let after: string | null = null;
  for (;;) {
    const lower: unknown[] = after === null ? ['queued', Dexie.minKey] : ['queued', after, Dexie.maxKey];
    const next: OutboxMessage | undefined = await db.outbox
      .where(INDEX)
      .between(lower, ['queued', Dexie.maxKey], after === null, true)
      .first();
    if (!next?.accountKey) return lanes;
    lanes.push(next.accountKey);
    after = next.accountKey;
  }
}

/** The lane's next message due by `now`: high priority first, then the longest-waiting. */
export async function laneHead(db: AppDb, key: string, now: EpochMs): Promise<OutboxMessage | undefined> {
  for (const p of PRIORITIES) {
    const m = await db.outbox.where(INDEX).between(['queued', key, p, -Infinity], ['queued', key, p, now], true, true).first();
    if (m) return m;
  }
  return undefined;
}

/** The lane's earliest queued message, due or not. */
export async function laneEarliest(db: AppDb, key: string): Promise<EpochMs | null> {
  let earliest: EpochMs | null = null;
  for (const p of PRIORITIES) {
    const m = await db.outbox.where(INDEX).between(['queued', key, p, -Infinity], ['queued', key, p, Infinity], true, true).first();
    if (m?.nextAttemptAt != null && (earliest === null || m.nextAttemptAt < earliest)) earliest = m.nextAttemptAt;
  }
  return earliest;
}

/** When the lane may send again: after its full window frees and after any provider push-back. */
export const laneOpensAt = (lane: SendLaneRow | undefined): EpochMs =>
  Math.max(lane?.notBefore ?? -Infinity, lane?.pausedUntil ?? -Infinity);

const rank = (m: OutboxMessage): [number, number] => [m.priority === 'high' ? 0 : 1, m.nextAttemptAt ?? Infinity];

/** The message to send next across all open lanes, or null when every lane is empty or held back. */
export async function pickNext(db: AppDb, now: EpochMs, skip: ReadonlySet<string> = new Set()): Promise<OutboxMessage | null> {
  const keys = (await queuedLanes(db)).filter((k) => !skip.has(k));
  const states = await db.sendLanes.bulkGet(keys);
  let best: OutboxMessage | null = null;
  for (const [i, key] of keys.entries()) {
    if (laneOpensAt(states[i]) > now) continue;
    const head = await laneHead(db, key, now);
    if (!head) continue;
    if (!best) best = head;
    else {
      const [a, b] = [rank(head), rank(best)];
      if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) best = head;
    }
  }
  return best;
}

/** The next instant any lane has work it may send: what the loop sleeps until. */
export async function nextLaneWake(db: AppDb): Promise<EpochMs | null> {
  const keys = await queuedLanes(db);
  const states = await db.sendLanes.bulkGet(keys);
  let next: EpochMs | null = null;
  for (const [i, key] of keys.entries()) {
    const earliest = await laneEarliest(db, key);
    if (earliest === null) continue;
    const at = Math.max(earliest, laneOpensAt(states[i]));
    if (next === null || at < next) next = at;
  }
  return next;
}

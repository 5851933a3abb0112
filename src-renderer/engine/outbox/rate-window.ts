import type { EpochMs } from '@shared/model/ids';
import type { LimitRule } from '@shared/model/send-limits';
import type { AppDb } from '../store/db';

/**
 * Rolling windows: a send at `t` is allowed when fewer than `max` sends happened in (t - window, t].
 * So no window of that length, wherever it starts, ever holds more than `max` sends.
 */

/** Sends of one account in (now - windowMs, now], from the store. */
export function sendsInWindow(db: AppDb, key: string, windowMs: number, now: EpochMs): Promise<number> {
  return db.sends
    .where('[key+at]')
    .between([key, now - windowMs], [key, now], false, true)
    .count();
}

/**
 * The earliest instant at or after `now` when one more send fits every rule, counted from what the
 * store says was sent (so a restart or a second engine cannot reset the windows).
 */
export async function earliestAllowed(db: AppDb, key: string, rules: readonly LimitRule[], now: EpochMs): Promise<EpochMs> {
  let at = now;
  for (const rule of rules) {
    const inWindow = db.sends.where('[key+at]').between([key, now - rule.windowMs], [key, now], false, true);
    const used = await inWindow.count();
    if (used < rule.max) continue;
    // The window frees once the (used - max + 1)-th oldest send in it ages out.
    const oldestToAge = await inWindow.offset(used - rule.max).first();
    if (oldestToAge) at = Math.max(at, oldestToAge.at + rule.windowMs);
  }
  return at;
}

/**
 * Pure version for the queue estimate: given the send times already in the windows (ascending) and
 * the due times of queued messages in sending order, when does each go out?
 */
export function simulateSends(
  past: readonly EpochMs[],
  dueTimes: readonly EpochMs[],
  rules: readonly LimitRule[],
  start: EpochMs,
): EpochMs[] {
  const times = [...past];
  const out: EpochMs[] = [];
  let last = start;
  for (const due of dueTimes) {
    let t = Math.max(due, last);
    for (const rule of rules) {
      const i = times.length - rule.max;
      if (i >= 0) t = Math.max(t, (times[i] ?? -Infinity) + rule.windowMs);
    }
    times.push(t);
    out.push(t);
    last = t;
  }
  return out;
}

import { DateTime } from 'luxon';
import type { EpochMs } from '@shared/model/ids';
import type { SendWindow } from '@shared/model/plan';
import type { SendPolicy, TouchChannel } from '@shared/model/send-policy';
import { wallTime } from './timing';

/**
 * When an automated message may go out, after the plan's send window, the channel's allowed hours
 * and the per-lead daily cap, all in the lead's zone. Pure: the scheduler and the preview both call
 * it, so the preview shows exactly what the scheduler will do.
 */
export interface SlotQuery {
  at: EpochMs;
  zone: string;
  channel: TouchChannel;
  planWindow: SendWindow | null;
  policy: SendPolicy;
  /** Automated touches the lead already has in [from, to) (all plans). */
  touchesBetween(from: EpochMs, to: EpochMs): number;
}

export interface Slot {
  at: EpochMs;
  /** Why the message waits, in words; empty when it can go at `at`. */
  reasons: string[];
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MAX_ROUNDS = 400;

function atTime(day: DateTime, hhmm: string): DateTime<boolean> {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return wallTime(day, hour, minute);
}

/** The first instant >= t inside [start, end) on an allowed weekday; t itself when already inside. */
function intoWindow(t: DateTime<boolean>, days: readonly number[], start: string, end: string): DateTime<boolean> {
  let day: DateTime<boolean> = t.startOf('day');
  for (let i = 0; i < 15; i++) {
    if (days.includes(day.weekday)) {
      const from = atTime(day, start);
      const to = atTime(day, end);
      if (i === 0 && t >= from && t < to) return t;
      if (i > 0 || t < from) return from;
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return t;
}

export function describeWindow(w: SendWindow): string {
  const days = [...w.days].sort();
  const weekdays = days.join() === '1,2,3,4,5';
  return `${weekdays ? 'weekdays' : days.map((d) => DAY_NAMES[d]).join(', ')} ${w.start}–${w.end}`;
}

export function nextSendSlot(q: SlotQuery): Slot {
  let t: DateTime<boolean> = DateTime.fromMillis(q.at, { zone: q.zone });
  const reasons = new Set<string>();
  const hours = q.policy.allowedHours[q.channel];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = t.toMillis();
    if (q.planWindow) {
      t = intoWindow(t, q.planWindow.days, q.planWindow.start, q.planWindow.end);
      if (t.toMillis() !== before) reasons.add(`outside the plan's send window (${describeWindow(q.planWindow)} lead time)`);
    }
    if (hours) {
      const b = t.toMillis();
      t = intoWindow(t, [1, 2, 3, 4, 5, 6, 7], hours.start, hours.end);
      if (t.toMillis() !== b)
        reasons.add(`quiet hours for ${q.channel === 'sms' ? 'texts' : 'email'} (allowed ${hours.start}–${hours.end} lead time)`);
    }
    if (q.policy.dailyTouchCap > 0) {
      const dayStart = t.startOf('day');
      const dayEnd = dayStart.plus({ days: 1 });
      const count = q.touchesBetween(dayStart.toMillis(), dayEnd.toMillis());
      if (count >= q.policy.dailyTouchCap) {
        reasons.add(`the lead already gets ${q.policy.dailyTouchCap} automated messages that day (daily limit); carried over`);
        t = dayEnd.startOf('day');
      }
    }
    if (t.toMillis() === before) return { at: before, reasons: [...reasons] };
  }
  return { at: t.toMillis(), reasons: [...reasons] };
}

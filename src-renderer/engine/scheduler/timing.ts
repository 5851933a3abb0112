import { DateTime } from 'luxon';
import type { EpochMs } from '@shared/model/ids';
import type { DurationUnit, Timing } from '@shared/model/plan';

export interface TimingAnchor {
  /** The enrollment start (shifted by paused time on resume). */
  startedAt: EpochMs;
  /** The lead's IANA zone; calendar arithmetic happens there. */
  zone: string;
  /** The lead's event dates by name, as YYYY-MM-DD in the lead's zone. */
  eventDates: Record<string, string>;
}

export type DueResult = { kind: 'due'; at: EpochMs } | { kind: 'noDate'; reason: string };

const unitToLuxon: Record<DurationUnit, 'minutes' | 'hours' | 'days' | 'weeks'> = {
  minutes: 'minutes',
  hours: 'hours',
  days: 'days',
  weeks: 'weeks',
};

/**
 * The instant a step is due. Days and weeks are calendar days in the lead's zone (so "2 days later"
 * keeps the local wall-clock time across DST); minutes and hours are elapsed time.
 * Luxon resolves a wall time inside a DST gap forward and an ambiguous one to the earlier offset.
 */
export function dueAt(timing: Timing, anchor: TimingAnchor): DueResult {
  const start = DateTime.fromMillis(anchor.startedAt, { zone: anchor.zone });
  switch (timing.kind) {
    case 'immediate':
      return { kind: 'due', at: anchor.startedAt };
    case 'after':
      return { kind: 'due', at: start.plus({ [unitToLuxon[timing.unit]]: timing.amount }).toMillis() };
    case 'onDay': {
      const [hour, minute] = timing.time.split(':').map(Number) as [number, number];
      let day: DateTime = start.startOf('day');
      if (timing.businessDaysOnly) {
        day = nextBusinessDay(day, 0);
        day = nextBusinessDay(day, timing.day - 1);
      } else {
        day = day.plus({ days: timing.day - 1 });
      }
      return { kind: 'due', at: day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis() };
    }
    case 'beforeEvent':
    case 'afterEvent': {
      const date = anchor.eventDates[timing.event];
      if (!date) return { kind: 'noDate', reason: `the lead has no "${timing.event}" date` };
      const [hour, minute] = (timing.time ?? '09:00').split(':').map(Number) as [number, number];
      const eventDay = DateTime.fromISO(date, { zone: anchor.zone }).set({ hour, minute });
      const sign = timing.kind === 'beforeEvent' ? -1 : 1;
      return { kind: 'due', at: eventDay.plus({ [unitToLuxon[timing.unit]]: sign * timing.amount }).toMillis() };
    }
  }
}

/** Moves `n` business days (Mon–Fri) forward; with n = 0, rolls a weekend day to Monday. */
function nextBusinessDay(day: DateTime, n: number): DateTime {
  let d = day;
  while (d.weekday > 5) d = d.plus({ days: 1 });
  for (let i = 0; i < n; i++) {
    d = d.plus({ days: 1 });
    while (d.weekday > 5) d = d.plus({ days: 1 });
  }
  return d;
}

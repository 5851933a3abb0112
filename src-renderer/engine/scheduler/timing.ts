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

const HOUR = 3_600_000;

/**
 * The instant a wall-clock time happens on `day` in `day`'s zone, resolved the same way in every zone:
 * a time inside a DST gap (e.g. 02:30 when clocks jump 02:00→03:00) moves forward by the gap; a time
 * that happens twice (clocks fall back) is its FIRST occurrence, so nothing waits an extra hour.
 * (Luxon alone picks the first occurrence in some zones and the second in others.)
 */
export function wallTime(day: DateTime, hour: number, minute: number): DateTime {
  const guess = day.set({ hour, minute, second: 0, millisecond: 0 });
  const zone = day.zone;
  const wall = Date.UTC(guess.year, guess.month - 1, guess.day, hour, minute);
  const candidates = [guess.toMillis() - 3 * HOUR, guess.toMillis() + 3 * HOUR]
    .map((probe) => wall - DateTime.fromMillis(probe, { zone }).offset * 60_000)
    .filter((utc) => {
      const d = DateTime.fromMillis(utc, { zone });
      return d.hour === hour && d.minute === minute && d.day === guess.day;
    })
    .sort((a, b) => a - b);
  return candidates.length > 0 ? DateTime.fromMillis(candidates[0]!, { zone }) : guess;
}

/**
 * The instant a step is due. Days and weeks are calendar days in the lead's zone (so "2 days later"
 * keeps the local wall-clock time across DST); minutes and hours are elapsed time.
 * Wall times in a DST gap or overlap resolve as `wallTime` says.
 */
export function dueAt(timing: Timing, anchor: TimingAnchor): DueResult {
  if (timing.kind === 'immediate') return { kind: 'due', at: anchor.startedAt };
  const start = DateTime.fromMillis(anchor.startedAt, { zone: anchor.zone });
  switch (timing.kind) {
    case 'after': {
      if (timing.unit === 'minutes' || timing.unit === 'hours') {
        return { kind: 'due', at: start.plus({ [unitToLuxon[timing.unit]]: timing.amount }).toMillis() };
      }
      const day = start.plus({ [unitToLuxon[timing.unit]]: timing.amount });
      return {
        kind: 'due',
        at: wallTime(day, start.hour, start.minute).plus({ seconds: start.second, milliseconds: start.millisecond }).toMillis(),
      };
    }
    case 'onDay': {
      const [hour, minute] = timing.time.split(':').map(Number) as [number, number];
      let day: DateTime = start.startOf('day');
      if (timing.businessDaysOnly) {
        day = nextBusinessDay(day, 0);
        day = nextBusinessDay(day, timing.day - 1);
      } else {
        day = day.plus({ days: timing.day - 1 });
      }
      return { kind: 'due', at: wallTime(day, hour, minute).toMillis() };
    }
    case 'beforeEvent':
    case 'afterEvent': {
      const date = anchor.eventDates[timing.event];
      if (!date) return { kind: 'noDate', reason: `the lead has no "${timing.event}" date` };
      const [hour, minute] = (timing.time ?? '09:00').split(':').map(Number) as [number, number];
      const eventDay = wallTime(DateTime.fromISO(date, { zone: anchor.zone }), hour, minute);
      const sign = timing.kind === 'beforeEvent' ? -1 : 1;
      const shifted = eventDay.plus({ [unitToLuxon[timing.unit]]: sign * timing.amount });
      const calendar = timing.unit === 'days' || timing.unit === 'weeks';
      return { kind: 'due', at: (calendar ? wallTime(shifted, hour, minute) : shifted).toMillis() };
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

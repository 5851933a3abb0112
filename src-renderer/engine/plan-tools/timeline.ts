import { DateTime } from 'luxon';
import type { PlanTimeline, TimelineEntry } from '@shared/contract/plan-tools';
import type { EpochMs, StepId } from '@shared/model/ids';
import type { Timing } from '@shared/model/plan';
import { dueAt } from '../scheduler/timing';

export interface TimelineStep {
  id: string;
  kind: string;
  name: string;
  timing: Timing;
}

export interface TimelineAnchor {
  startAt: EpochMs;
  timeZone: string;
  eventDates: Record<string, string>;
}

/** SMS quiet hours in the lead's local time (DESIGN §5: default 08:00–21:00): a text due outside them waits. */
export const SMS_QUIET = { start: 8, end: 21 } as const;

function quietHourDeferral(at: EpochMs, zone: string): EpochMs | null {
  const local = DateTime.fromMillis(at, { zone });
  if (local.hour >= SMS_QUIET.start && local.hour < SMS_QUIET.end) return null;
  const day = local.hour < SMS_QUIET.start ? local : local.plus({ days: 1 });
  return day.set({ hour: SMS_QUIET.start, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

const hhmm = (at: EpochMs, zone: string) => DateTime.fromMillis(at, { zone }).toFormat('ccc d LLL, HH:mm');

/**
 * When each step of a plan fires for one lead, as a pure function of the steps and an anchor.
 * Uses the scheduler's own `dueAt`, so the preview and the scheduler cannot disagree on timing.
 */
export function planTimeline(steps: readonly TimelineStep[], anchor: TimelineAnchor): PlanTimeline {
  const timingAnchor = { startedAt: anchor.startAt, zone: anchor.timeZone, eventDates: anchor.eventDates };
  const entries = steps.map((step, index): TimelineEntry => {
    const base = { stepId: step.id as StepId, index, kind: step.kind, name: step.name };
    const due = dueAt(step.timing, timingAnchor);
    if (due.kind === 'noDate') return { ...base, at: null, dueAt: null, status: 'noDate', note: `Waits: ${due.reason}` };
    if (step.timing.kind === 'beforeEvent' && due.at < anchor.startAt) {
      return {
        ...base,
        at: null,
        dueAt: due.at,
        status: 'skipped',
        note: `Skipped: its time (${hhmm(due.at, anchor.timeZone)}) has passed before the lead was enrolled`,
      };
    }
    if (due.at < anchor.startAt) {
      // e.g. "Day 1 at 09:30" for a lead enrolled at noon: the scheduler runs it at once.
      return {
        ...base,
        at: anchor.startAt,
        dueAt: due.at,
        status: 'scheduled',
        note: `Its time (${hhmm(due.at, anchor.timeZone)}) has passed at enrollment: runs right away`,
      };
    }
    const deferred = step.kind === 'sms' ? quietHourDeferral(due.at, anchor.timeZone) : null;
    if (deferred !== null) {
      return {
        ...base,
        at: deferred,
        dueAt: due.at,
        status: 'deferred',
        note: `Quiet hours (texts go out ${SMS_QUIET.start}:00–${SMS_QUIET.end}:00 lead time): moved from ${hhmm(due.at, anchor.timeZone)}`,
      };
    }
    return { ...base, at: due.at, dueAt: due.at, status: 'scheduled', note: null };
  });
  return { timeZone: anchor.timeZone, startAt: anchor.startAt, entries };
}

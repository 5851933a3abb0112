import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Timing } from '@shared/model/plan';
import { dueAt } from '../../../src-renderer/engine/scheduler/timing';
import { nextSendSlot } from '../../../src-renderer/engine/scheduler/send-window';
import { DEFAULT_SEND_POLICY } from '@shared/model/send-policy';
import { email, world } from './engine-helpers';

const at = (timing: Timing, startedAt: number, zone = 'America/New_York', eventDates: Record<string, string> = {}) => {
  const r = dueAt(timing, { startedAt, zone, eventDates });
  return r.kind === 'due' ? new Date(r.at).toISOString() : r.reason;
};
const utc = (iso: string) => Date.parse(iso);

describe('timing kinds', () => {
  const start = utc('2026-04-14T14:00:00Z'); // Tue 10:00 in New York

  it('immediate is due at enrollment', () => {
    expect(at({ kind: 'immediate' }, start)).toBe('2026-04-14T14:00:00.000Z');
  });

  it('after N minutes / hours is elapsed time from enrollment', () => {
    expect(at({ kind: 'after', amount: 90, unit: 'minutes' }, start)).toBe('2026-04-14T15:30:00.000Z');
    expect(at({ kind: 'after', amount: 5, unit: 'hours' }, start)).toBe('2026-04-14T19:00:00.000Z');
  });

  it('after N days / weeks keeps the lead’s wall-clock time', () => {
    expect(at({ kind: 'after', amount: 3, unit: 'days' }, start)).toBe('2026-04-17T14:00:00.000Z');
    expect(at({ kind: 'after', amount: 2, unit: 'weeks' }, start)).toBe('2026-04-28T14:00:00.000Z');
  });

  it('on day N at HH:mm in the lead’s zone (day 1 is the enrollment day)', () => {
    expect(at({ kind: 'onDay', day: 1, time: '18:00', businessDaysOnly: false }, start)).toBe('2026-04-14T22:00:00.000Z');
    expect(at({ kind: 'onDay', day: 3, time: '09:00', businessDaysOnly: false }, start, 'Europe/London')).toBe('2026-04-16T08:00:00.000Z');
  });

  it('on day N counting business days only skips the weekend', () => {
    const friday = utc('2026-04-17T14:00:00Z');
    expect(at({ kind: 'onDay', day: 2, time: '09:00', businessDaysOnly: true }, friday)).toBe('2026-04-20T13:00:00.000Z');
    const saturday = utc('2026-04-18T14:00:00Z');
    expect(at({ kind: 'onDay', day: 1, time: '09:00', businessDaysOnly: true }, saturday)).toBe('2026-04-20T13:00:00.000Z');
  });

  it('before / after an event date, at the step’s time in the lead’s zone', () => {
    const dates = { closing: '2026-05-20' };
    expect(at({ kind: 'beforeEvent', event: 'closing', amount: 2, unit: 'days', time: '10:00' }, start, 'America/New_York', dates)).toBe(
      '2026-05-18T14:00:00.000Z',
    );
    expect(at({ kind: 'afterEvent', event: 'closing', amount: 3, unit: 'hours' }, start, 'America/New_York', dates)).toBe(
      '2026-05-20T16:00:00.000Z',
    );
    expect(at({ kind: 'afterEvent', event: 'birthday', amount: 0, unit: 'days' }, start)).toBe('the lead has no "birthday" date');
  });
});

/**
 * DST around both transitions. Rules: "N days later" keeps wall time; hours are elapsed; a wall time
 * in the gap moves forward by the gap; a wall time that happens twice is its first occurrence.
 */
const zones = [
  {
    zone: 'America/New_York',
    spring: {
      day: '2026-03-08',
      before: '2026-03-07T10:00',
      gapTime: '02:30',
      gapUtc: '2026-03-08T07:30:00.000Z',
      afterDayUtc: '2026-03-08T14:00:00.000Z',
    },
    fall: {
      day: '2026-11-01',
      before: '2026-10-31T10:00',
      twiceTime: '01:30',
      twiceUtc: '2026-11-01T05:30:00.000Z',
      afterDayUtc: '2026-11-01T15:00:00.000Z',
    },
  },
  {
    zone: 'Europe/London',
    spring: {
      day: '2026-03-29',
      before: '2026-03-28T10:00',
      gapTime: '01:30',
      gapUtc: '2026-03-29T01:30:00.000Z',
      afterDayUtc: '2026-03-29T09:00:00.000Z',
    },
    fall: {
      day: '2026-10-25',
      before: '2026-10-24T10:00',
      twiceTime: '01:30',
      twiceUtc: '2026-10-25T00:30:00.000Z',
      afterDayUtc: '2026-10-25T10:00:00.000Z',
    },
  },
  {
    // Lord Howe shifts by 30 minutes: 02:00 → 02:30 in October, 02:00 → 01:30 in April.
    zone: 'Australia/Lord_Howe',
    spring: {
      day: '2026-10-04',
      before: '2026-10-03T10:00',
      gapTime: '02:15',
      gapUtc: '2026-10-03T15:45:00.000Z',
      afterDayUtc: '2026-10-03T23:00:00.000Z',
    },
    fall: {
      day: '2026-04-05',
      before: '2026-04-04T10:00',
      twiceTime: '01:45',
      twiceUtc: '2026-04-04T14:45:00.000Z',
      afterDayUtc: '2026-04-04T23:30:00.000Z',
    },
  },
];

function localStart(localIso: string, zone: string): number {
  return DateTime.fromISO(localIso, { zone }).toMillis();
}

describe.each(zones)('DST in $zone', ({ zone, spring, fall }) => {
  it('"1 day later" across the spring-forward change keeps the local time', () => {
    expect(at({ kind: 'after', amount: 1, unit: 'days' }, localStart(spring.before, zone), zone)).toBe(spring.afterDayUtc);
  });

  it('"1 day later" across the fall-back change keeps the local time', () => {
    expect(at({ kind: 'after', amount: 1, unit: 'days' }, localStart(fall.before, zone), zone)).toBe(fall.afterDayUtc);
  });

  it('"24 hours later" is elapsed time, whatever the clocks do', () => {
    const s = localStart(spring.before, zone);
    expect(Date.parse(at({ kind: 'after', amount: 24, unit: 'hours' }, s, zone))).toBe(s + 24 * 3_600_000);
  });

  it('a time inside the spring-forward gap moves forward by the gap', () => {
    expect(at({ kind: 'onDay', day: 2, time: spring.gapTime, businessDaysOnly: false }, localStart(spring.before, zone), zone)).toBe(
      spring.gapUtc,
    );
  });

  it('a time that happens twice at fall-back is its first occurrence', () => {
    expect(at({ kind: 'onDay', day: 2, time: fall.twiceTime, businessDaysOnly: false }, localStart(fall.before, zone), zone)).toBe(
      fall.twiceUtc,
    );
  });

  it('quiet hours open at the local morning on the day of the change', () => {
    const lateEvening = localStart(`${spring.before.slice(0, 10)}T23:00`, zone);
    const slot = nextSendSlot({
      at: lateEvening,
      zone,
      channel: 'sms',
      planWindow: null,
      policy: DEFAULT_SEND_POLICY,
      touchesBetween: () => 0,
    });
    expect(slot.at).toBe(localStart(`${spring.day}T08:00`, zone));
  });

  it('the scheduler sends a "1 day later" email at the same local time across the change', async () => {
    const w = await world({ at: localStart(fall.before, zone) });
    const plan = await w.plan([email(), email({ subject: 'Next day', timing: { kind: 'after', amount: 1, unit: 'days' } })]);
    const lead = await w.lead({ timeZone: zone });
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const due = Date.parse(fall.afterDayUtc);
    await w.t.advance(due - w.t.clock.now() - 60_000);
    expect(w.t.host.sent).toHaveLength(1);
    await w.t.advance(60_000);
    expect(w.t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann', 'Next day']);
  });
});

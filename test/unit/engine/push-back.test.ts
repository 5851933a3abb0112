import { afterEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src-renderer/engine/clock';
import { ManualClock as Clock } from '../../../src-renderer/engine/clock';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { drain, queueBacklog, sentTimes } from './backlog';
import { DAY, MINUTE, startEngine, T0 } from './harness';
import { realHost } from './real-host';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

/** A provider that accepts `allowed` messages, then refuses with `reply` while `refusing(now)` holds. */
async function provider(
  clock: ManualClock,
  allowed: number,
  reply: { code: number; message: string },
  refusing: (now: number, firstRefusal: number) => boolean,
) {
  let firstRefusal: number | null = null;
  const refusals: number[] = [];
  const server = await startTestSmtp({
    refuseMail(accepted) {
      if (accepted < allowed) return null;
      firstRefusal ??= clock.now();
      if (!refusing(clock.now(), firstRefusal)) return null;
      refusals.push(clock.now());
      return reply;
    },
  });
  return { server, refusals };
}

const account = (port: number) => ({ host: '127.0.0.1', port, security: 'none' as const, fromEmail: 'jane@realty.example' });

describe('provider push-back pauses the mailbox instead of hammering it', () => {
  it('a server that answers 421 after 100 messages: the mailbox pauses, resumes when the server allows, nothing lost or doubled', async () => {
    const clock = new Clock(T0);
    const p = await provider(
      clock,
      100,
      { code: 421, message: '4.7.0 Too many messages, slow down' },
      (now, first) => now < first + 3 * MINUTE,
    );
    smtp = p.server;
    // Microsoft-like pace (30 a minute) on a loopback server.
    const t = await startEngine({
      host: realHost(),
      clock,
      emailAccount: { ...account(smtp.port), limits: { preset: 'custom', perMinute: 30, perHour: null, perDay: 10_000 } },
    });
    await queueBacklog(t.db, 130, T0 - DAY);

    await drain([t]);

    expect(smtp.received).toHaveLength(130);
    expect(new Set(smtp.received.map((r) => /^Message-ID: (.*)$/im.exec(r.raw)?.[1])).size).toBe(130);
    // Paused a minute, refused again, paused two more: two knocks on the door, not a hundred.
    const first = p.refusals[0] ?? NaN;
    expect(p.refusals).toEqual([first, first + MINUTE]);
    const times = await sentTimes(t.db);
    expect(times.filter((s) => s > first && s < first + 3 * MINUTE)).toEqual([]);
    expect(times.filter((s) => s === first + 3 * MINUTE)).toHaveLength(30);
    // The user is told once, with the server's words.
    const outbox = await t.call('outbox.list', { limit: 1000 });
    // The backlog's leads are bare ids (no lead rows), so read their timelines from the store.
    const history = await t.db.history
      .where('leadId')
      .anyOf([...new Set(outbox.map((m) => m.leadId))])
      .toArray();
    const notices = history.filter((h) => h.summary.startsWith('Sending paused'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.detail).toContain('4.7.0 Too many messages, slow down');
    // …and one desktop notification per pause, not one per waiting message.
    expect(outbox.filter((m) => m.channel === 'notification').map((m) => m.notification.title)).toEqual([
      'Sending paused by your mail provider',
    ]);
    expect(outbox.every((m) => m.status === 'sent')).toBe(true);
  }, 60_000);

  it("Google's 5.4.5 daily quota: the mailbox waits until the oldest send of the day ages out, then goes on", async () => {
    const clock = new Clock(T0);
    const sentAt: number[] = [];
    const p = await provider(
      clock,
      0,
      { code: 550, message: '5.4.5 Daily user sending quota exceeded.' },
      (now) => sentAt.filter((s) => s > now - DAY).length >= 50 || (sentAt.push(now), false),
    );
    smtp = p.server;
    const t = await startEngine({
      host: realHost(),
      clock,
      emailAccount: { ...account(smtp.port), limits: { preset: 'gmail', perMinute: null, perHour: null, perDay: 500 } },
    });
    await queueBacklog(t.db, 70, T0 - DAY);

    await drain([t]);

    expect(smtp.received).toHaveLength(70);
    const times = await sentTimes(t.db);
    expect(times.filter((s) => s === T0)).toHaveLength(50);
    expect(times.filter((s) => s === T0 + DAY)).toHaveLength(20);
    expect(p.refusals).toEqual([T0]);
    const status = await t.call('outbox.list', { limit: 1000 });
    expect(status.every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
  }, 60_000);
});

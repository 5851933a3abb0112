import { describe, expect, it } from 'vitest';
import { busiestWindow, drain, queueBacklog, sentTimes } from './backlog';
import { aLead, aPlan, currentUserId, DAY, emailStep, MINUTE, newDbName, RecordingHost, startEngine, T0 } from './harness';

const microsoft365 = { host: 'smtp.office365.com', port: 587, security: 'starttls' as const, fromEmail: 'jane@realty.example' };
const WEEK_AGO = T0 - 7 * DAY;

describe('mailbox-safe sending: a week of backlog through a Microsoft 365 mailbox', () => {
  it('sends 800 overdue emails exactly once, never more than 30 in any minute, in about 800/30 minutes', async () => {
    const t = await startEngine({ emailAccount: microsoft365 });
    const keys = await queueBacklog(t.db, 800, WEEK_AGO);

    await drain([t]);

    expect(t.host.calls).toHaveLength(800);
    expect(new Set(t.host.calls).size).toBe(800);
    const times = await sentTimes(t.db);
    expect(busiestWindow(times, MINUTE)).toBe(30);
    const drainMinutes = ((times.at(-1) ?? 0) - T0) / MINUTE;
    expect(Math.abs(drainMinutes - 800 / 30)).toBeLessThanOrEqual((800 / 30) * 0.1);
    // Backlog goes out in the order it fell due.
    expect(t.host.sent.map((s) => s.idempotencyKey)).toEqual(keys);
  });

  it('a lead who arrives during the backlog gets the welcome email in the next free slot, ahead of the backlog', async () => {
    const t = await startEngine({ emailAccount: microsoft365 });
    await queueBacklog(t.db, 200, WEEK_AGO);
    await drain([t], T0 + 2 * MINUTE + 30_000);
    const sentBefore = t.host.sent.length;

    const owner = await currentUserId(t);
    const plan = await t.call(
      'plans.create',
      aPlan(owner, { name: 'New buyer welcome', steps: [emailStep({ subject: 'Welcome, {{lead.firstName}}' })] as never }),
    );
    const lead = await t.call('leads.create', aLead({ firstName: 'Nia', email: 'nia@example.com' }));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await drain([t]);

    expect(t.host.sent[sentBefore]?.message.subject).toBe('Welcome, Nia');
    const welcome = (await t.call('outbox.list', { leadId: lead.id })).find((m) => m.status === 'sent');
    // The next window opens at T0 + 3 min: the welcome goes first in it.
    expect(welcome?.sentAt).toBe(T0 + 3 * MINUTE);
    expect(t.host.sent).toHaveLength(201);
  });

  it('a restart half-way keeps the counts: no burst after the restart', async () => {
    const dbName = newDbName();
    const host = new RecordingHost();
    const first = await startEngine({ emailAccount: microsoft365, dbName, host });
    await queueBacklog(first.db, 300, WEEK_AGO);
    await drain([first], T0 + 4 * MINUTE + 10_000);
    const at = first.clock.now();
    first.engine.close();

    const second = await startEngine({ emailAccount: microsoft365, dbName, host, at });
    await drain([second]);

    expect(host.calls).toHaveLength(300);
    expect(new Set(host.calls).size).toBe(300);
    expect(busiestWindow(await sentTimes(second.db), MINUTE)).toBe(30);
  });

  it('two engines on one database share one limit and never send a message twice', async () => {
    const dbName = newDbName();
    const host = new RecordingHost();
    const a = await startEngine({ emailAccount: microsoft365, dbName, host });
    const b = await startEngine({ emailAccount: microsoft365, dbName, host, clock: a.clock });
    await queueBacklog(a.db, 240, WEEK_AGO);

    await drain([a, b]);

    expect(host.calls).toHaveLength(240);
    expect(new Set(host.calls).size).toBe(240);
    expect(busiestWindow(await sentTimes(a.db), MINUTE)).toBe(30);
  });
});

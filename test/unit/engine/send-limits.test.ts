import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { AppDb } from '../../../src-renderer/engine/store/db';
import { schemaV1 } from '../../../src-renderer/engine/store/schema';
import { busiestWindow, drain, queueBacklog, sentTimes } from './backlog';
import { AppError } from '@shared/rpc/errors';
import { aLead, anAccount, aPlan, currentUserId, DAY, emailStep, MINUTE, newDbName, RecordingHost, startEngine, T0 } from './harness';

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

describe('the queue the user sees', () => {
  it('says how many are queued on the mailbox, how much of the minute is used, and when the last one goes out', async () => {
    const t = await startEngine({ emailAccount: microsoft365 });
    await queueBacklog(t.db, 800, WEEK_AGO);

    const [before] = await t.call('outbox.queueStatus', {});
    expect(before).toMatchObject({ name: 'jane@realty.example', queued: 800, nextSendAt: T0, allSentBy: T0 + 26 * MINUTE });
    expect(before?.windows.map((w) => [w.label, w.used, w.max])).toEqual([
      ['per minute', 0, 30],
      ['per 24 hours', 0, 10_000],
    ]);

    await t.tick();
    const [after] = await t.call('outbox.queueStatus', {});
    expect(after).toMatchObject({ queued: 770, nextSendAt: T0 + MINUTE, allSentBy: T0 + 26 * MINUTE });
    expect(after?.windows[0]).toMatchObject({ used: 30, max: 30 });
  });

  it('a lead whose email waits behind the limit shows "queued, expected" at the time it will really go out', async () => {
    const t = await startEngine({ emailAccount: microsoft365 });
    await queueBacklog(t.db, 100, WEEK_AGO);
    const [expected] = await t.call('outbox.expectedFor', { leadId: 'lead-99' });
    expect(expected).toMatchObject({ expectedAt: T0 + 3 * MINUTE, delayed: true, summary: 'Email "Catching up 99" to lead99@example.com' });
    await drain([t]);
    expect((await t.call('outbox.list', { leadId: 'lead-99' }))[0]?.sentAt).toBe(T0 + 3 * MINUTE);
  });
});

describe('sending limits in the email account settings', () => {
  it('an unknown provider gets "custom" with conservative limits the user can see', async () => {
    const t = await startEngine({ emailAccount: { host: 'mail.smallisp.example' } });
    expect((await t.call('settings.emailAccount.get', {}))?.limits).toEqual({ preset: 'custom', perMinute: 10, perHour: 100, perDay: 500 });
  });

  it('Gmail and Google Workspace are told apart by the address; Outlook gets the Microsoft 365 limits', async () => {
    const t = await startEngine({ emailAccount: { host: 'smtp.gmail.com', fromEmail: 'jane@gmail.com' } });
    expect((await t.call('settings.emailAccount.get', {}))?.limits.perDay).toBe(500);
    await t.call('settings.emailAccount.save', { ...anAccount, host: 'smtp.gmail.com', fromEmail: 'jane@realty.example' });
    expect((await t.call('settings.emailAccount.get', {}))?.limits).toMatchObject({ preset: 'googleWorkspace', perDay: 2000 });
    await t.call('settings.emailAccount.save', { ...anAccount, host: 'smtp-mail.outlook.com' });
    expect((await t.call('settings.emailAccount.get', {}))?.limits).toMatchObject({ preset: 'microsoft365', perMinute: 30 });
  });

  it.each([
    [{ perMinute: 0 }, 'perMinute', 'at least 1'],
    [{ perHour: -5 }, 'perHour', 'at least 1'],
    [{ perDay: 50_000_000 }, 'perDay', 'cannot be more than 1,000,000'],
    [{ perDay: 0.5 }, 'perDay', 'whole number'],
    [{ perMinute: null, perHour: null, perDay: null }, 'perDay', 'Set at least one limit'],
  ])('a custom limit of %o is refused with a clear message', async (patch, field, words) => {
    const t = await startEngine();
    const limits = { preset: 'custom' as const, perMinute: 10, perHour: 100, perDay: 500, ...patch };
    const err = await t.call('settings.emailAccount.save', { ...anAccount, limits }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    const issue = (err as AppError).details?.issues?.find((i) => i.path.endsWith(field));
    expect(issue?.message).toContain(words);
    expect((await t.call('settings.emailAccount.get', {}))?.limits.perMinute).toBe(10);
  });

  it('the SMS gateway sends one text a second by default; its pace is a setting', async () => {
    const t = await startEngine();
    expect(await t.call('settings.smsLimits.get', {})).toEqual({ perSecond: 1, perDay: null });
    await t.call('settings.smsLimits.save', { perSecond: 3, perDay: 2000 });
    expect(await t.call('settings.smsLimits.get', {})).toEqual({ perSecond: 3, perDay: 2000 });
    await expect(t.call('settings.smsLimits.save', { perSecond: 0, perDay: null })).rejects.toThrow(/at least 1/);
  });
});

describe('upgrading the store to sending limits', () => {
  it('messages queued by an older version are picked up and counted against their channel', async () => {
    const name = `limits-migration-${process.pid}`;
    const old = new Dexie(name);
    old.version(schemaV1.version).stores(schemaV1.stores);
    await old.open();
    // Written with the version-1 schema: no accountKey, no priority.
    await queueBacklog(old as unknown as AppDb, 1, WEEK_AGO);
    old.close();

    const t = await startEngine({ dbName: name, emailAccount: microsoft365 });
    expect(await t.db.outbox.get('backlog-000000' as never)).toMatchObject({ accountKey: 'email', priority: 'normal' });
    await drain([t]);
    expect(t.host.sent.map((s) => s.idempotencyKey)).toEqual(['backlog:0']);
  });
});

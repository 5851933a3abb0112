import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { AppError } from '@shared/rpc/errors';
import { runAutoBackupIfDue } from '../../../src-renderer/engine/exchange/auto-backup';
import { aLead, aPlan, currentUserId, DAY, HOUR, startEngine } from './harness';
import type { TestEngine } from './harness';

/** Toggle 1 of the account settings: users may create personal plans (off on a new account). */
async function allowPersonalPlans(t: TestEngine): Promise<void> {
  await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
}

async function someData(t: TestEngine) {
  const plan = await t.call('plans.create', aPlan(await currentUserId(t)));
  const lead = await t.call('leads.create', aLead());
  await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
  await t.tick();
  return { plan, lead };
}

async function snapshot(t: TestEngine): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of t.db.tables) out[table.name] = await table.toArray();
  return out;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the call to fail');
}

describe('backup and restore', () => {
  it('a backup restores into a fresh profile with every table, row for row', async () => {
    const a = await startEngine();
    await allowPersonalPlans(a);
    await someData(a);
    const { text, fileName } = await a.call('exchange.backup.create', {});
    expect(fileName).toMatch(/^action-plans-backup-2026-04-14\.json$/);
    const b = await startEngine({ emailAccount: false });
    const result = await b.call('exchange.backup.restore', { text });
    expect(result.tables).toBe(a.db.tables.length);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    expect(result.rows).toBeGreaterThan(5);
  });

  it('a restored store keeps working: the lead’s next email still goes out once', async () => {
    const a = await startEngine();
    await allowPersonalPlans(a);
    await someData(a);
    const { text } = await a.call('exchange.backup.create', {});
    const b = await startEngine({ emailAccount: false });
    await b.call('exchange.backup.restore', { text });
    await b.advance(2 * DAY + HOUR);
    expect(b.host.sent.map((s) => s.message.subject)).toEqual(['Checking in, Ann']);
  });

  it('a backup made by an older version of the app is brought up to date by its migrations and restored', async () => {
    const a = await startEngine();
    await allowPersonalPlans(a);
    const { lead } = await someData(a);
    const current = JSON.parse((await a.call('exchange.backup.create', {})).text) as { tables: Record<string, Record<string, unknown>[]> };
    // What version 5 of the store held: its tables only, leads without the workspace fields (v6), outbox without priorities (v10).
    const { tablesAt } = await import('../../../src-renderer/engine/store/schema');
    const v6Fields = ['nameKey', 'assigneeIds', 'planIds', 'enrollmentStates', 'activePlanCount', 'nextDueAt', 'lastActivityAt'];
    const old: Record<string, Record<string, unknown>[]> = {};
    for (const name of tablesAt(5)) old[name] = current.tables[name] ?? [];
    old.leads = old.leads!.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !v6Fields.includes(k))));
    old.outbox = old.outbox!.map(({ priority: _p, accountKey: _k, ...m }) => m);
    const { canonicalJson, sha256Hex } = await import('../../../src-renderer/engine/exchange/canonical');
    const body = canonicalJson(old);
    const head = { format: 'action-plans/backup', schemaVersion: 5, createdAt: '2026-04-14T14:00:00.000Z', sha256: await sha256Hex(body) };
    const text = `${JSON.stringify(head).slice(0, -1)},"tables":${body}}`;

    const b = await startEngine({ emailAccount: false });
    await b.call('exchange.backup.restore', { text });
    const row = (await b.db.leads.get(lead.id))!;
    expect(row).toMatchObject({ nameKey: 'ann lee', activePlanCount: 1, planIds: [expect.any(String)] });
    expect((await b.db.outbox.toArray()).every((m) => m.priority === 'normal' && typeof m.accountKey === 'string')).toBe(true);
    const found = await b.call('leads.query', { search: 'ann', sort: 'name' });
    expect(found.rows.map((r) => r.id)).toEqual([lead.id]);
    // Nothing is left behind: the scratch store used for the upgrade is gone.
    expect((await Dexie.getDatabaseNames()).filter((n) => n.includes('-restore-'))).toEqual([]);
  });

  const broken: [string, (text: string) => string, RegExp][] = [
    ['an empty file', () => '', /backup file is empty/],
    ['a truncated file', (text) => text.slice(0, Math.floor(text.length * 0.7)), /incomplete or damaged \(it may have been cut short\)/],
    ['a foreign JSON file', () => '{"leads":[]}', /not an Action Plans backup file/],
    ['a plan file', () => '{"format":"action-plans/plan-file","version":1}', /not an Action Plans backup file/],
    ['an edited file', (text) => text.replace('"Ann"', '"Eve"'), /SHA-256 check sum does not match/],
    ['a file from a newer app', (text) => text.replace(/"schemaVersion":\d+/, '"schemaVersion":999'), /made by a newer version/],
    ['a file missing a table', (text) => text.replace('"history":[', '"histories":['), /the "history" table is missing/],
  ];
  for (const [what, damage, message] of broken) {
    it(`${what} is refused with a clear message and the current data is untouched`, async () => {
      const a = await startEngine();
      await allowPersonalPlans(a);
      await allowPersonalPlans(a);
      await someData(a);
      const { text } = await a.call('exchange.backup.create', {});
      const b = await startEngine();
      await b.call('leads.create', aLead({ firstName: 'Kept' }));
      const before = await snapshot(b);
      const err = await rejection(b.call('exchange.backup.restore', { text: damage(text) }));
      expect(err.code).toBe('ValidationFailed');
      expect(err.message).toMatch(message);
      expect(err.message).toContain('Your current data was not changed.');
      expect(await snapshot(b)).toEqual(before);
    });
  }

  it('a backup whose rows break a unique rule is rolled back whole', async () => {
    const a = await startEngine();
    await allowPersonalPlans(a);
    await someData(a);
    const tables = JSON.parse((await a.call('exchange.backup.create', {})).text) as { tables: Record<string, Record<string, unknown>[]> };
    // Two outbox messages with one idempotency key cannot both be stored: the last table fails after the first ones were written.
    const msg = tables.tables.outbox![0]!;
    tables.tables.outbox!.push({ ...msg, id: 'other' });
    const { canonicalJson, sha256Hex } = await import('../../../src-renderer/engine/exchange/canonical');
    const body = canonicalJson(tables.tables);
    const head = { ...tables, tables: undefined, sha256: await sha256Hex(body) };
    const text = `${JSON.stringify(head).slice(0, -1)},"tables":${body}}`;
    const b = await startEngine();
    await b.call('leads.create', aLead({ firstName: 'Kept' }));
    const before = await snapshot(b);
    const err = await rejection(b.call('exchange.backup.restore', { text }));
    expect(err.message).toMatch(/could not be written/);
    expect(await snapshot(b)).toEqual(before);
  });

  it('an automatic backup is written once a day through the host and can be restored from the list', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    await someData(t);
    expect(await runAutoBackupIfDue(t.engine.deps)).toBe(true);
    expect(await runAutoBackupIfDue(t.engine.deps)).toBe(false);
    t.clock.advance(DAY);
    expect(await runAutoBackupIfDue(t.engine.deps)).toBe(true);
    const list = await t.call('exchange.backup.list', {});
    expect(list.map((b) => b.name).sort()).toEqual(['auto-2026-04-14T14-00-00.json', 'auto-2026-04-15T14-00-00.json']);
    expect(await t.call('exchange.backup.settings', {})).toMatchObject({ keepDays: 14, lastAutoBackupAt: t.clock.now() });
    await t.call('leads.create', aLead({ firstName: 'Later' }));
    await t.call('exchange.backup.restoreSaved', { name: 'auto-2026-04-15T14-00-00.json' });
    expect((await t.call('leads.list', {})).rows.map((l) => l.firstName)).toEqual(['Ann']);
  });
});

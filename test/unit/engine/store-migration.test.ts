import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { AppDb } from '../../../src-renderer/engine/store/db';
import { schemaV1 } from '../../../src-renderer/engine/store/schema';

describe('store migrations', () => {
  it('opens data written by schema version 1 and upgrades it without loss', async () => {
    const name = `migration-${process.pid}`;
    // Write with exactly the version-1 schema, as an installed older app would have.
    const old = new Dexie(name);
    old.version(schemaV1.version).stores(schemaV1.stores);
    await old.open();
    await old.table('leads').bulkAdd([
      {
        id: 'l1',
        firstName: 'Ann',
        lastName: 'Lee',
        email: 'ann@example.com',
        phone: '+14155550123',
        timeZone: 'America/New_York',
        createdAt: 1,
        updatedAt: 1,
      },
      { id: 'l2', firstName: 'Bo', lastName: 'Diaz', timeZone: 'Europe/London', createdAt: 2, updatedAt: 2 },
    ]);
    await old.table('history').add({ id: 'h1', leadId: 'l1', at: 1, kind: 'note', summary: 'kept' });
    old.close();

    const db = new AppDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2);
    expect(await db.leads.count()).toBe(2);
    expect(await db.history.get('h1')).toMatchObject({ summary: 'kept' });
    // The new index is filled in for old rows, so search finds them.
    const found = await db.leads.where('searchWords').startsWith('lee').toArray();
    expect(found.map((l) => l.id)).toEqual(['l1']);
    expect((await db.leads.get('l1' as never))?.searchWords).toEqual(expect.arrayContaining(['ann', 'lee', '14155550123']));
    // The email is searched through the email index.
    const { leadIdsMatching } = await import('../../../src-renderer/engine/store/queries');
    expect(await leadIdsMatching(db, 'ann@ex')).toEqual(['l1']);
    db.close();
  });
});

describe('the list of store versions that older backups are upgraded through', () => {
  it('matches the store the app opens: same last version, same tables', async () => {
    const { SCHEMA_HISTORY, tablesAt } = await import('../../../src-renderer/engine/store/schema');
    const db = new AppDb(`history-${process.pid}`);
    await db.open();
    expect(SCHEMA_HISTORY[SCHEMA_HISTORY.length - 1]!.version).toBe(db.verno);
    expect(tablesAt(db.verno).sort()).toEqual(db.tables.map((t) => t.name).sort());
    db.close();
  });
});

describe('store version 11', () => {
  it('enrollments engaged before the upgrade are counted as engaged after it', async () => {
    const { SCHEMA_HISTORY } = await import('../../../src-renderer/engine/store/schema');
    const name = `engaged-${process.pid}`;
    const old = new Dexie(name);
    for (const v of SCHEMA_HISTORY.filter((s) => s.version <= 10)) old.version(v.version).stores(v.stores);
    await old.open();
    const base = { leadId: 'l1', planId: 'p1', state: 'active', iteration: 1, nextStepId: null, nextDueAt: null, updatedAt: 5 };
    await old.table('enrollments').bulkAdd([
      { ...base, id: 'e1', engaged: true },
      { ...base, id: 'e2', engaged: false },
    ]);
    old.close();
    const db = new AppDb(name);
    await db.open();
    const engaged = await db.enrollments.where('[planId+engagedAt]').between(['p1', Dexie.minKey], ['p1', Dexie.maxKey]).primaryKeys();
    expect(engaged).toEqual(['e1']);
    expect((await db.enrollments.get('e1' as never))?.engagedAt).toBe(5);
    db.close();
  });
});

describe('store version 12 (fewer indexes)', () => {
  it('a store written by version 11 opens with every row, and a plan or lead finds all its enrollments, engaged or not', async () => {
    const { SCHEMA_HISTORY } = await import('../../../src-renderer/engine/store/schema');
    const { enrollmentsOfLead, enrollmentsOfPlan, leadsOfLender } = await import('../../../src-renderer/engine/store/queries');
    const name = `fewer-indexes-${process.pid}`;
    const old = new Dexie(name);
    for (const v of SCHEMA_HISTORY.filter((s) => s.version <= 11)) old.version(v.version).stores(v.stores);
    await old.open();
    const base = { planId: 'p1', state: 'active', iteration: 1, nextStepId: null, nextDueAt: null, updatedAt: 5 };
    await old.table('enrollments').bulkAdd([
      { ...base, id: 'e1', leadId: 'l1', engaged: true, engagedAt: 5 },
      { ...base, id: 'e2', leadId: 'l2', engaged: false },
      { ...base, id: 'e3', leadId: 'l1', planId: 'p2', state: 'stopped', engaged: false },
    ]);
    await old.table('leads').add({ id: 'l1', firstName: 'Ann', lastName: 'Lee', assignees: { lender: 'u9' }, createdAt: 1, tags: [] });
    await old.table('executions').add({ key: 'e1:1:s1', enrollmentId: 'e1', leadId: 'l1' });
    await old.table('history').add({ id: 'h1', leadId: 'l1', at: 3, kind: 'note' });
    old.close();

    const db = new AppDb(name);
    await db.open();
    expect((await enrollmentsOfPlan(db, 'p1' as never).primaryKeys()).sort()).toEqual(['e1', 'e2']);
    expect((await enrollmentsOfLead(db, 'l1' as never).primaryKeys()).sort()).toEqual(['e1', 'e3']);
    expect(await leadsOfLender(db, 'u9' as never).primaryKeys()).toEqual(['l1']);
    expect(await db.executions.get('e1:1:s1')).toBeDefined();
    expect(await db.history.where('[leadId+at]').between(['l1', Dexie.minKey], ['l1', Dexie.maxKey]).primaryKeys()).toEqual(['h1']);
    // The dropped indexes are gone from the store, so nothing writes them any more.
    const stage = db.leads.schema.idxByName['stage'];
    expect(stage).toBeUndefined();
    db.close();
  });
});

import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { AppDb } from '../../../src-renderer/engine/store/db';
import { schemaV1, schemaV2, schemaV3 } from '../../../src-renderer/engine/store/schema';

describe('store migration to the lead workspace (v6)', () => {
  it('existing leads get their sort, facet and enrollment summary fields, so the table shows them right away', async () => {
    const name = `migration-v6-${process.pid}`;
    const old = new Dexie(name);
    old.version(schemaV1.version).stores(schemaV1.stores);
    old.version(schemaV2.version).stores(schemaV2.stores);
    old.version(schemaV3.version).stores(schemaV3.stores);
    await old.open();
    const base = {
      timeZone: 'America/New_York',
      stage: 'New',
      source: '',
      tags: ['buyer'],
      eventDates: {},
      optOuts: { email: false, sms: false },
      searchWords: [],
    };
    await old.table('leads').bulkAdd([
      { ...base, id: 'l1', firstName: 'Ann', lastName: 'Lee', assignees: { lender: 'u1' }, createdAt: 1, updatedAt: 5 },
      { ...base, id: 'l2', firstName: 'Bo', lastName: 'Diaz', assignees: {}, createdAt: 2, updatedAt: 2 },
    ]);
    await old.table('enrollments').add({ id: 'e1', leadId: 'l1', planId: 'p1', state: 'active', nextDueAt: 1000, iteration: 1 });
    old.close();

    const db = new AppDb(name);
    await db.open();
    expect(await db.leads.get('l1' as never)).toMatchObject({
      nameKey: 'ann lee',
      assigneeIds: ['u1'],
      planIds: ['p1'],
      enrollmentStates: ['active'],
      activePlanCount: 1,
      nextDueAt: 1000,
      lastActivityAt: 5,
    });
    expect(await db.leads.get('l2' as never)).toMatchObject({
      assigneeIds: ['unassigned'],
      enrollmentStates: ['none'],
      activePlanCount: 0,
    });
    expect((await db.leads.toArray()).map((l) => l.nameKey)).toEqual(['ann lee', 'bo diaz']);
    db.close();
  });
});

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
    expect((await db.leads.get('l1' as never))?.searchWords).toEqual(
      expect.arrayContaining(['ann', 'lee', 'ann@example.com', '14155550123']),
    );
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

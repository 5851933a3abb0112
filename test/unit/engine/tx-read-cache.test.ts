import Dexie from 'dexie';
import type { Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { txReadCache, withStagedWrites, writesIn } from '../../../src-renderer/engine/store/tx-read-cache';

interface Row {
  id: string;
  name: string;
  tags: string[];
}

class TestDb extends Dexie {
  small!: Table<Row, string>;
  big!: Table<Row, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ small: 'id, name', big: 'id, name, *tags' });
    // The same kind of hook the leads table has: Dexie then reads the existing row before each put.
    this.big.hook('updating', () => undefined);
    this.use(txReadCache({ small: 'all', big: 'rows' }));
  }
}

let n = 0;
const dbs: TestDb[] = [];
async function openDb(): Promise<TestDb> {
  const db = new TestDb(`tx-cache-${process.pid}-${n++}`);
  dbs.push(db);
  await db.open();
  await db.small.bulkAdd([
    { id: 'p1', name: 'Buyer follow-up', tags: [] },
    { id: 'p2', name: 'Seller nurture', tags: [] },
  ]);
  await db.big.bulkAdd([
    { id: 'l1', name: 'Ann', tags: ['buyer'] },
    { id: 'l2', name: 'Bo', tags: [] },
  ]);
  return db;
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('reads within one transaction (scheduler batches) always see that transaction’s own writes', () => {
  it('a plan changed in a transaction is read back changed, by key and by query', async () => {
    const db = await openDb();
    await db.transaction('rw', db.small, async () => {
      expect((await db.small.get('p1'))?.name).toBe('Buyer follow-up');
      expect(await db.small.where('name').equals('Renamed').count()).toBe(0);
      expect(await db.small.where('name').startsWith('B').toArray()).toHaveLength(1);
      await db.small.update('p1', { name: 'Renamed' });
      expect((await db.small.get('p1'))?.name).toBe('Renamed');
      expect((await db.small.where('name').startsWith('B').toArray()).map((r) => r.id)).toEqual([]);
      expect((await db.small.where('name').equals('Renamed').toArray()).map((r) => r.id)).toEqual(['p1']);
    });
  });

  it('changing an object a read returned does not change what the next read returns', async () => {
    const db = await openDb();
    await db.transaction('rw', db.small, db.big, async () => {
      const plan = (await db.small.get('p1'))!;
      plan.name = 'changed in memory only';
      expect((await db.small.get('p1'))?.name).toBe('Buyer follow-up');
      const lead = (await db.big.get('l1'))!;
      lead.tags.push('changed in memory only');
      expect((await db.big.get('l1'))?.tags).toEqual(['buyer']);
    });
  });

  it('a lead written with put, update or delete is read back as written in the same transaction', async () => {
    const db = await openDb();
    await db.transaction('rw', db.big, async () => {
      const lead = (await db.big.get('l1'))!;
      await db.big.put({ ...lead, tags: ['buyer', 'hot'] });
      const written = (await db.big.get('l1'))!;
      expect(written.tags).toEqual(['buyer', 'hot']);
      written.tags.push('not saved');
      expect((await db.big.get('l1'))?.tags).toEqual(['buyer', 'hot']);
      await db.big.update('l1', { name: 'Ann Lee' });
      expect(await db.big.get('l1')).toEqual({ id: 'l1', name: 'Ann Lee', tags: ['buyer', 'hot'] });
      await db.big.delete('l2');
      expect(await db.big.get('l2')).toBeUndefined();
      await db.big.where('name').startsWith('Ann').delete();
      expect(await db.big.get('l1')).toBeUndefined();
    });
    expect(await db.big.count()).toBe(0);
  });

  it('a write that fails is not remembered: the stored row is what reads return', async () => {
    const db = await openDb();
    await db.transaction('rw', db.big, async () => {
      expect((await db.big.get('l1'))?.name).toBe('Ann');
      await db.big.add({ id: 'l1', name: 'Duplicate', tags: [] }).catch(() => undefined);
      expect((await db.big.get('l1'))?.name).toBe('Ann');
    });
  });

  it('another transaction reads what was committed, never an earlier transaction’s remembered rows', async () => {
    const db = await openDb();
    await db.transaction('r', db.small, db.big, async () => {
      await db.small.get('p1');
      await db.big.get('l1');
    });
    await db.small.update('p1', { name: 'Committed' });
    await db.big.update('l1', { name: 'Committed' });
    await db.transaction('r', db.small, db.big, async () => {
      expect((await db.small.get('p1'))?.name).toBe('Committed');
      expect((await db.big.get('l1'))?.name).toBe('Committed');
    });
  });

  it('a transaction that rolls back leaves the stored rows as they were', async () => {
    const db = await openDb();
    await expect(
      db.transaction('rw', db.big, async () => {
        await db.big.update('l1', { name: 'Rolled back' });
        expect((await db.big.get('l1'))?.name).toBe('Rolled back');
        throw new Error('crash in the middle of a step');
      }),
    ).rejects.toThrow('crash');
    expect((await db.big.get('l1'))?.name).toBe('Ann');
  });
});

describe('staged writes (a scheduler batch writes each lead and enrollment once)', () => {
  it('a staged row is read back changed in the transaction, found by index queries, and stored when it commits', async () => {
    const db = await openDb();
    await db.transaction('rw', db.big, async () =>
      withStagedWrites(async () => {
        await db.big.put({ id: 'l1', name: 'Ann', tags: ['buyer', 'hot'] });
        await db.big.update('l1', { name: 'Anna' });
        expect(await db.big.get('l1')).toEqual({ id: 'l1', name: 'Anna', tags: ['buyer', 'hot'] });
        // A query goes to IndexedDB, so the staged rows are written first.
        expect(await db.big.where('tags').equals('hot').primaryKeys()).toEqual(['l1']);
        await db.big.put({ id: 'l2', name: 'Bo', tags: ['hot'] });
      }),
    );
    expect(await db.big.get('l1')).toEqual({ id: 'l1', name: 'Anna', tags: ['buyer', 'hot'] });
    expect(await db.big.where('tags').equals('hot').primaryKeys()).toEqual(['l1', 'l2']);
  });

  it('a transaction that fails after staging stores none of it', async () => {
    const db = await openDb();
    await expect(
      db.transaction('rw', db.big, async () =>
        withStagedWrites(async () => {
          await db.big.put({ id: 'l1', name: 'Changed', tags: [] });
          throw new Error('the step failed');
        }),
      ),
    ).rejects.toThrow('the step failed');
    expect((await db.big.get('l1'))?.name).toBe('Ann');
  });

  it('a delete after a staged put of the same row leaves no row', async () => {
    const db = await openDb();
    await db.transaction('rw', db.big, async () =>
      withStagedWrites(async () => {
        await db.big.put({ id: 'l3', name: 'New', tags: [] });
        await db.big.delete('l3');
        expect(await db.big.get('l3')).toBeUndefined();
      }),
    );
    expect(await db.big.get('l3')).toBeUndefined();
  });

  it('is refused outside a transaction, where nothing would write the staged rows', async () => {
    await openDb();
    await expect(withStagedWrites(() => Promise.resolve(1))).rejects.toThrow(/inside a transaction/);
  });
});

describe('what a transaction wrote (a lead’s summary is brought up to date from it)', () => {
  it('every row written, in order, staged or not, added, changed or deleted; nothing from other transactions', async () => {
    const db = await openDb();
    await db.transaction('rw', db.big, () => db.big.put({ id: 'l2', name: 'Bo 2', tags: [] }));
    const seen = await db.transaction('rw', db.big, async () => {
      expect(writesIn(db.big)).toEqual([]);
      await db.big.add({ id: 'l3', name: 'Cy', tags: [] });
      await db.big.update('l1', { name: 'Ann 2' });
      await db.big.delete('l3');
      await withStagedWrites(async () => {
        await db.big.put({ id: 'l4', name: 'Di', tags: [] });
      });
      return writesIn<Row>(db.big);
    });
    expect(seen).toEqual([
      { key: 'l3', value: { id: 'l3', name: 'Cy', tags: [] } },
      { key: 'l1', value: { id: 'l1', name: 'Ann 2', tags: ['buyer'] } },
      { key: 'l3', value: null },
      { key: 'l4', value: { id: 'l4', name: 'Di', tags: [] } },
    ]);
  });

  it('a write that names no keys (clearing the table) makes it unknown', async () => {
    const db = await openDb();
    const seen = await db.transaction('rw', db.big, async () => {
      await db.big.put({ id: 'l3', name: 'Cy', tags: [] });
      await db.big.clear();
      return writesIn(db.big);
    });
    expect(seen).toBe('unknown');
  });

  it('a failed add is not counted as written', async () => {
    const db = await openDb();
    const seen = await db.transaction('rw', db.big, async () => {
      await db.big.add({ id: 'l1', name: 'dup', tags: [] }).catch(() => undefined);
      return writesIn(db.big);
    });
    expect(seen).toEqual([]);
  });
});

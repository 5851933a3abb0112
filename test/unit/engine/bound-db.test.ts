import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { boundTo } from '../../../src-renderer/engine/store/bound-db';
import { AppDb } from '../../../src-renderer/engine/store/db';

let n = 0;
const open: AppDb[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function store(): Promise<AppDb> {
  const db = new AppDb(`bound-db-${process.pid}-${n++}`);
  open.push(db);
  await db.open();
  return db;
}

describe('a step writes only inside its transaction, even where Dexie has lost track of it', () => {
  it('a write through the bound store from outside the transaction zone still rolls back with the transaction', async () => {
    const db = await store();
    await expect(
      db.transaction('rw', db.settings, async (trans) => {
        const bound = boundTo(db, trans);
        // Dexie.ignoreTransaction runs its callback outside the transaction's zone, as lost tracking would.
        await Dexie.ignoreTransaction(() => bound.settings.put({ key: 'inside', value: 1 }));
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await db.settings.get('inside')).toBeUndefined();
  });

  it('without it, the same write escapes into a transaction of its own and stays after the rollback', async () => {
    const db = await store();
    await expect(
      db.transaction('rw', db.history, async () => {
        await Dexie.ignoreTransaction(() => db.settings.put({ key: 'escaped', value: 1 }));
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await db.settings.get('escaped')).toEqual({ key: 'escaped', value: 1 });
  });

  it('reads see the transaction’s own writes, and a table outside its scope is refused', async () => {
    const db = await store();
    await db.transaction('rw', db.settings, async (trans) => {
      const bound = boundTo(db, trans);
      await bound.settings.put({ key: 'a', value: 2 });
      expect(await Dexie.ignoreTransaction(() => bound.settings.get('a'))).toEqual({ key: 'a', value: 2 });
      expect(() => bound.leads).toThrow('Table leads is not part of this transaction');
    });
    expect(await db.settings.get('a')).toEqual({ key: 'a', value: 2 });
  });
});

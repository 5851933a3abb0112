import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AppDb } from '../../../src-renderer/engine/store/db';

let n = 0;
const open: AppDb[] = [];
const listeners: ((parts: Record<string, unknown>) => void)[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const l of listeners.splice(0)) Dexie.on('storagemutated').unsubscribe(l);
});

/** The tables each committed transaction of `db` reported, in order. */
function reported(db: AppDb): string[][] {
  const seen: string[][] = [];
  const listener = (parts: Record<string, unknown>) => {
    const tables = Object.keys(parts)
      .filter((k) => k.startsWith(`idb://${db.name}/`))
      .map((k) => k.split('/')[3]!);
    if (tables.length) seen.push([...new Set(tables)].sort());
  };
  Dexie.on('storagemutated', listener);
  listeners.push(listener);
  return seen;
}

describe('committed writes name their tables (views refresh, the scheduler wakes, the backup re-reads)', () => {
  it('a committed transaction reports every table it wrote, once', async () => {
    const db = new AppDb(`store-events-${process.pid}-${n++}`);
    open.push(db);
    await db.open();
    const seen = reported(db);
    await db.transaction('rw', db.settings, db.history, async () => {
      await db.settings.put({ key: 'a', value: 1 });
      await db.settings.put({ key: 'b', value: 2 });
      await db.history.bulkAdd(
        Array.from({ length: 60 }, (_, i) => ({
          id: `h${i}`,
          leadId: 'l1',
          at: i,
          kind: 'note',
          summary: 'x',
          actor: { kind: 'scheduler' },
          planId: null,
          enrollmentId: null,
          stepId: null,
          outboxId: null,
          detail: null,
        })) as never,
      );
    });
    await db.settings.delete('a');
    expect(seen).toEqual([['history', 'settings'], ['settings']]);
  });

  it('a transaction that rolls back reports nothing', async () => {
    const db = new AppDb(`store-events-${process.pid}-${n++}`);
    open.push(db);
    await db.open();
    const seen = reported(db);
    await expect(
      db.transaction('rw', db.settings, async () => {
        await db.settings.put({ key: 'a', value: 1 });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.settings.put({ key: 'b', value: 2 });
    expect(seen).toEqual([['settings']]);
  });
});

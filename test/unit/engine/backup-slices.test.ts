import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../src-renderer/engine/exchange/backup';
import { canonicalJson, sha256Hex } from '../../../src-renderer/engine/exchange/canonical';
import { seedLeads } from '../../../src-renderer/engine/leads/seed';
import { startEngine } from './harness';

describe('backups of a big store are written in slices (the engine keeps answering meanwhile)', () => {
  it('the sliced backup holds every lead and its check sum is that of the whole store written at once', async () => {
    const t = await startEngine();
    await seedLeads(t.engine.deps, 4_500, 5);
    const file = JSON.parse(await createBackup(t.engine.deps)) as {
      sha256: string;
      counts: Record<string, number>;
      tables: Record<string, unknown[]>;
    };
    expect(file.counts.leads).toBe(4_500);
    const whole: Record<string, unknown[]> = {};
    for (const table of t.db.tables) whole[table.name] = await table.toArray();
    expect(file.sha256).toBe(await sha256Hex(canonicalJson(whole)));
    t.engine.close();
  });
});

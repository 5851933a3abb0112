import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../src-renderer/engine/exchange/backup';
import { canonicalJson, sha256Hex } from '../../../src-renderer/engine/exchange/canonical';
import { seedLeads } from '../../../src-renderer/engine/leads/seed';
import { aLead, startEngine } from './harness';

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

  it('a backup taken while leads are being added is one state of the store: every lead with its "created" line', async () => {
    const t = await startEngine();
    await seedLeads(t.engine.deps, 4_500, 5);
    let done = false;
    let added = 0;
    const backup = createBackup(t.engine.deps).finally(() => (done = true));
    // A user adds leads while the backup reads: each lead and its history line are written together.
    while (!done) {
      await t.call('leads.create', aLead({ firstName: `During${added}`, email: `during${added}@example.com` }));
      added++;
    }
    const file = JSON.parse(await backup) as { tables: { leads: { id: string }[]; history: { leadId: string; kind: string }[] } };
    expect(added).toBeGreaterThan(0);
    const created = new Set(file.tables.history.filter((h) => h.kind === 'leadCreated').map((h) => h.leadId));
    // The seeded leads have no history line; every lead added by a user has one, in the same backup.
    const addedInFile = file.tables.leads.map((l) => l.id).filter((id) => !id.startsWith('seed'));
    expect(addedInFile.filter((id) => !created.has(id))).toEqual([]);
    expect(created.size).toBe(addedInFile.length);
    t.engine.close();
  });
});

import { describe, expect, it } from 'vitest';
import { runDueSteps } from '../../../src-renderer/engine/scheduler/scheduler';
import { email, step, world } from './engine-helpers';
import { executionsIn } from './harness';

describe('each step executes in one transaction (DESIGN §5)', () => {
  it('a pass over many due leads writes every step inside its batch transaction, none in a transaction of its own', async () => {
    const w = await world();
    w.t.engine.scheduler.stop(); // this test runs the pass itself
    const plan = await w.plan([
      step({ kind: 'addTags', tags: ['warm'] }),
      step({ kind: 'addNote', note: 'Called {{lead.firstName}}' }),
      email({ subject: 'Hi {{lead.firstName}}' }),
      step({ kind: 'changeStage', stage: 'Nurture' }),
    ]);
    const leads = [];
    for (let i = 0; i < 240; i++) leads.push(await w.lead({ firstName: `L${i}`, email: `l${i}@example.com` }));
    for (const l of leads) await w.enroll(l.id, plan.id);

    // Every read-write transaction the pass opens, by IndexedDB itself.
    const core = w.t.db.core;
    const open = core.transaction;
    let readWrite = 0;
    core.transaction = (stores, mode, options) => {
      if (mode === 'readwrite') readWrite++;
      return open.call(core, stores, mode, options);
    };
    const ran = await runDueSteps(w.t.engine.deps, w.t.clock.now()).finally(() => (core.transaction = open));

    expect(ran).toBe(240 * 4);
    // Batches of 100 due enrollments, and one more read that finds nothing left.
    expect(readWrite).toBeLessThanOrEqual(4);
    const stored = await w.t.db.leads.bulkGet(leads.map((l) => l.id));
    expect(stored.every((l) => l?.stage === 'Nurture' && l.tags.includes('warm'))).toBe(true);
    expect(await executionsIn(w.t.db)).toHaveLength(240 * 4);
  }, 60_000);
});

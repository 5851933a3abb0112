import { describe, expect, it } from 'vitest';
import type { LeadId } from '@shared/model/ids';
import { enrollmentSummary } from '../../../src-renderer/engine/store/lead-derived';
import { enrollmentsOfLead } from '../../../src-renderer/engine/store/queries';
import { step, world } from './engine-helpers';
import { DAY } from './harness';

type World = Awaited<ReturnType<typeof world>>;

/** The lead row's summary fields, and the ones its enrollments give when recounted. */
async function summaries(w: World, leadId: LeadId) {
  const row = await w.t.db.leads.get(leadId);
  const stored = {
    planIds: row?.planIds,
    enrollmentStates: row?.enrollmentStates,
    activePlanCount: row?.activePlanCount,
    nextDueAt: row?.nextDueAt,
    enrollmentBrief: row?.enrollmentBrief,
  };
  return { stored, recounted: enrollmentSummary(await enrollmentsOfLead(w.t.db, leadId).toArray()) };
}

const note = (text: string, timing?: object) => step({ kind: 'addNote', note: text, ...(timing ? { timing } : {}) });
const later = (days: number) => ({ kind: 'after', amount: days, unit: 'days' }) as const;

describe('the leads table’s summary of a lead’s plans stays what its enrollments say after steps run', () => {
  const cases: [string, (w: World) => Promise<LeadId>][] = [
    [
      'one plan that runs to its end',
      async (w) => {
        const plan = await w.plan([note('a'), step({ kind: 'addTags', tags: ['x'] }), note('c')]);
        const lead = await w.lead();
        await w.enroll(lead.id, plan.id);
        return lead.id;
      },
    ],
    [
      'one plan that waits a day after its first step',
      async (w) => {
        const plan = await w.plan([note('a'), note('b', later(1))]);
        const lead = await w.lead();
        await w.enroll(lead.id, plan.id);
        return lead.id;
      },
    ],
    [
      'two plans at once',
      async (w) => {
        const a = await w.plan([note('a'), note('b', later(2))]);
        const b = await w.plan([note('c', later(1)), note('d')], { name: 'B' });
        const lead = await w.lead();
        await w.enroll(lead.id, a.id);
        await w.enroll(lead.id, b.id);
        return lead.id;
      },
    ],
    [
      'a plan whose step pauses the lead’s other plan',
      async (w) => {
        const other = await w.plan([note('o', later(3))], { name: 'Other' });
        const a = await w.plan([step({ kind: 'pausePlan', planId: other.id }), note('after')]);
        const lead = await w.lead();
        await w.enroll(lead.id, other.id);
        await w.enroll(lead.id, a.id);
        return lead.id;
      },
    ],
    [
      'a plan whose step puts the lead in another plan',
      async (w) => {
        const next = await w.plan([note('n', later(1))], { name: 'Next' });
        const a = await w.plan([step({ kind: 'assignPlan', planId: next.id }), note('after')]);
        const lead = await w.lead();
        await w.enroll(lead.id, a.id);
        return lead.id;
      },
    ],
    [
      'a plan the lead was removed from before, and one it is in',
      async (w) => {
        const old = await w.plan([note('x', later(5))], { name: 'Old' });
        const a = await w.plan([note('a'), note('b', later(1))]);
        const lead = await w.lead();
        const gone = await w.enroll(lead.id, old.id);
        await w.t.call('enrollments.apply', { id: gone.id, action: 'remove' });
        await w.enroll(lead.id, a.id);
        return lead.id;
      },
    ],
  ];
  for (const [name, setUp] of cases) {
    it(name, async () => {
      const w = await world();
      const leadId = await setUp(w);
      for (let day = 0; day < 4; day++) {
        await w.t.advance(day === 0 ? 0 : DAY);
        const { stored, recounted } = await summaries(w, leadId);
        expect(stored, `day ${day}`).toEqual(recounted);
      }
    });
  }

  it('many single-plan leads in one pass each get their own summary', async () => {
    const w = await world();
    const plan = await w.plan([note('a'), note('b', later(1))]);
    const ids: LeadId[] = [];
    for (let i = 0; i < 30; i++) {
      const lead = await w.lead({ firstName: `L${i}`, email: `l${i}@example.com` });
      await w.enroll(lead.id, plan.id);
      ids.push(lead.id);
    }
    await w.t.advance(DAY);
    for (const id of ids) {
      const { stored, recounted } = await summaries(w, id);
      expect(stored).toEqual(recounted);
      expect(stored.enrollmentStates).toEqual(['completed']);
    }
  });
});

describe('the leads table’s summary of a lead’s plans is right as soon as anything changes its enrollments', () => {
  const source = (sources: string[]) => ({ triggers: { sources, stages: [], tags: [] } });
  const tag = (tags: string[]) => ({ triggers: { sources: [], stages: [], tags } });

  it('a plan trigger enrolls a new lead: its summary shows the plan before any step runs', async () => {
    const w = await world();
    w.t.engine.scheduler.stop();
    const plan = await w.plan([note('a', later(2))], source(['Zillow']));
    const lead = await w.lead({ source: 'Zillow' });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.planIds).toEqual([plan.id]);
  });

  it('a tag added to a lead triggers a plan: its summary shows the plan at once', async () => {
    const w = await world();
    w.t.engine.scheduler.stop();
    const plan = await w.plan([note('a', later(2))], tag(['hot']));
    const lead = await w.lead();
    const { id: _i, optOuts: _o, createdAt: _c, updatedAt: _u, createdBy: _b, ...fields } = lead;
    await w.t.call('leads.update', { id: lead.id, fields: { ...fields, tags: ['hot'] } });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.planIds).toEqual([plan.id]);
  });

  it('a plan edit that moves the next step: the lead’s next step due moves with it', async () => {
    const w = await world();
    const plan = await w.plan([note('a'), note('b', later(1))]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    const before = (await summaries(w, lead.id)).stored.nextDueAt!;
    await w.t.call('plans.update', { id: plan.id, plan: { ...plan, steps: [plan.steps[0]!, { ...plan.steps[1]!, timing: later(3) }] } });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.nextDueAt).toBe(before + 2 * DAY);
  });

  it('a task done lets the plan go on: the lead’s next step due is set at once', async () => {
    const w = await world();
    const plan = await w.plan([
      step({ kind: 'task', title: 'Call' }),
      step({ kind: 'addNote', note: 'after', timing: later(1), waitForPreviousTask: true }),
      note('c'),
    ]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.t.tick();
    expect((await summaries(w, lead.id)).stored.nextDueAt).toBeNull();
    const [task] = await w.t.db.tasks.toArray();
    await w.t.call('tasks.complete', { id: task!.id });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.nextDueAt).not.toBeNull();
  });

  it('“assign to all leads with this tag” shows the new plan and its earlier next step at once', async () => {
    const w = await world();
    const a = await w.plan([note('a', later(1)), note('b', later(5))]);
    const b = await w.plan([note('c', later(3))], { name: 'B' });
    const lead = await w.lead({ tags: ['open-house'] });
    await w.enroll(lead.id, a.id);
    await w.t.advance(DAY);
    await w.t.call('enrollments.bulkEnroll', { planId: b.id, tags: ['open-house'] });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.activePlanCount).toBe(2);
  });

  it('a deleted lead whose plan stopped while it was gone comes back with the plan shown as stopped', async () => {
    const w = await world();
    const plan = await w.plan([note('a', later(1))]);
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    const { batchId } = await w.t.call('leads.bulk', { target: { ids: [lead.id] }, action: { kind: 'delete' } });
    await w.t.advance(DAY); // the step comes due: its lead is gone, so the plan stops
    await w.t.call('leads.restore', { batchId: batchId! });
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.enrollmentStates).toEqual(['stopped']);
  });

  it('a summary that went stale behind the scheduler’s back is recounted when the lead’s step runs', async () => {
    const w = await world();
    const plan = await w.plan([note('a', later(1)), note('b', later(2))]);
    const other = await w.plan([note('x', later(5))], { name: 'Other' });
    const lead = await w.lead();
    await w.enroll(lead.id, plan.id);
    await w.enroll(lead.id, other.id);
    // As a writer that forgot to touch the lead would leave it: the other plan paused, the row not told.
    const [, e] = await enrollmentsOfLead(w.t.db, lead.id)
      .toArray()
      .then((all) => all.sort((a) => (a.planId === plan.id ? -1 : 1)));
    await w.t.db.enrollments.update(e!.id, { state: 'paused', nextDueAt: null });
    // ...and the due enrollment moved too, so the brief disagrees with what the pass reads.
    const [due] = await w.t.db.enrollments.where('[leadId+planId]').equals([lead.id, plan.id]).toArray();
    await w.t.db.enrollments.update(due!.id, { nextDueAt: due!.nextDueAt! - 1 });
    await w.t.advance(DAY);
    const { stored, recounted } = await summaries(w, lead.id);
    expect(stored).toEqual(recounted);
    expect(stored.enrollmentStates).toContain('paused');
  });
});

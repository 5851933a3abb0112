import type { DBCore, DBCoreMutateRequest, DBCoreTable } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { PlanInput, StepInput } from '@shared/model/plan';
import { createEngine } from '../../../src-renderer/engine/app';
import { ManualClock } from '../../../src-renderer/engine/clock';
import { recoverInterrupted } from '../../../src-renderer/engine/outbox/dispatcher';
import { noLock } from '../../../src-renderer/engine/runtime';
import { AppDb } from '../../../src-renderer/engine/store/db';
import { aLead, anAccount, DAY, executionsIn, RecordingHost, T0 } from './harness';

let dbs = 0;

/** A store whose Nth write (counted from `arm`) kills the transaction, as a crash or power loss would. */
function crashingDb() {
  const db = new AppDb(`crash-${process.pid}-${++dbs}`);
  const state = { writes: 0, crashAt: 0, crashed: false };
  db.use({
    stack: 'dbcore',
    name: 'crash-at-write',
    create(down: DBCore): DBCore {
      return {
        ...down,
        table(name: string): DBCoreTable {
          const table = down.table(name);
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              state.writes++;
              if (state.crashAt > 0 && state.writes === state.crashAt) {
                state.crashed = true;
                (req.trans as unknown as IDBTransaction).abort();
                return Promise.reject(new Error(`crash at write ${state.writes}`));
              }
              return table.mutate(req);
            },
          };
        },
      };
    },
  });
  return { db, state };
}

const steps = (otherPlanId: string): StepInput[] =>
  [
    { id: 'e1', kind: 'email', subject: 'Hi {{lead.firstName}}', body: 'Welcome', timing: { kind: 'immediate' } },
    { id: 't1', kind: 'addTags', tags: ['engaged'], timing: { kind: 'immediate' } },
    { id: 'k1', kind: 'task', title: 'Call {{lead.firstName}}', timing: { kind: 'immediate' } },
    { id: 's1', kind: 'changeStage', stage: 'Nurture', timing: { kind: 'immediate' } },
    { id: 'n1', kind: 'addNote', note: 'Moved to nurture', timing: { kind: 'immediate' } },
    { id: 'a1', kind: 'assignPlan', planId: otherPlanId, timing: { kind: 'immediate' } },
    { id: 'e2', kind: 'email', subject: 'Day two', body: 'Still there?', timing: { kind: 'after', amount: 1, unit: 'days' } },
  ] as StepInput[];

/** Sets up one lead in a plan of many step kinds; runs it to the end, crashing at write `crashAt` of the run. */
async function run(crashAt: number) {
  const { db, state } = crashingDb();
  const clock = new ManualClock(T0);
  const host = new RecordingHost();
  const engine = await createEngine({ db, clock, host, lock: noLock });
  await engine.call('settings.emailAccount.save', anAccount);
  const owner = (await engine.call('session.get', {})).currentUser.id;
  const plan = (over: Partial<PlanInput>) =>
    engine.call('plans.create', {
      name: 'P',
      scope: { kind: 'personal', ownerUserId: owner },
      status: 'ready',
      steps: [],
      ...over,
    });
  const other = await plan({
    name: 'Other',
    steps: [{ id: 'o1', kind: 'addNote', note: 'Other plan ran', timing: { kind: 'immediate' } }] as StepInput[],
  });
  const main = await plan({ name: 'Main', steps: steps(other.id) });
  // Two leads: their steps share a transaction (scheduler.ts), so a crash rolls back a whole group.
  const leads = [];
  for (const firstName of ['Ann', 'Bob']) {
    const lead = await engine.call('leads.create', aLead({ firstName, email: `${firstName.toLowerCase()}@example.com` }));
    await engine.call('enrollments.enroll', { leadId: lead.id, planId: main.id });
    leads.push(lead);
  }

  state.writes = 0;
  state.crashAt = crashAt;
  const pass = async () => {
    try {
      await engine.scheduler.runOnce();
    } catch {
      // the "process" died mid-tick; the restart below recovers
    }
    if (state.crashed) {
      state.crashAt = 0;
      await recoverInterrupted(engine.deps); // what a restarted engine does first
    }
  };
  for (let i = 0; i < 4; i++) await pass();
  clock.advance(DAY);
  for (let i = 0; i < 4; i++) await pass();

  const snapshot = {
    leads: (await db.leads.toArray()).map((l) => `${l.firstName}:${l.tags.join()}:${l.stage}`).sort(),
    enrollments: (await db.enrollments.toArray())
      .map((e) => [e.planId === main.id ? 'Main' : 'Other', e.state, e.iteration, e.exitReason])
      .sort(),
    executions: (await executionsIn(db)).map((x) => `${x.key.split(':').slice(1).join(':')}=${x.outcome}`).sort(),
    outbox: (await db.outbox.toArray()).map((m) => `${m.channel}:${m.status}`).sort(),
    tasks: (await db.tasks.toArray()).map((t) => t.title),
    history: (await db.history.toArray()).map((h) => h.summary).sort(),
    sent: host.sent.map((s) => `${s.message.to} ${s.message.subject}`).sort(),
  };
  engine.close();
  return { snapshot, writes: state.writes, crashed: state.crashed };
}

describe('crash safety', () => {
  it('a tick aborted at any write point and re-run reaches the same state as an uninterrupted run', async () => {
    const clean = await run(0);
    expect(clean.snapshot.sent).toEqual([
      'ann@example.com Day two',
      'ann@example.com Hi Ann',
      'bob@example.com Day two',
      'bob@example.com Hi Bob',
    ]);
    expect(clean.writes).toBeGreaterThan(10);
    for (let n = 1; n <= clean.writes; n++) {
      const crashed = await run(n);
      expect(crashed.crashed, `write ${n} was reached`).toBe(true);
      expect(crashed.snapshot, `after a crash at write ${n}`).toEqual(clean.snapshot);
    }
  }, 120_000);
});

import type { Enrollment } from '@shared/model/enrollment';
import { HERE } from '@shared/model/enrollment';
import type { EpochMs, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { readyPlans } from '../enrollments/triggers';
import { touchLead } from '../leads/touch';
import { depsIn } from '../store/bound-db';
import { rowOf, withStagedWrites } from '../store/tx-read-cache';
import { runNextStep, runNextStepIn, runStepOf, stepTables } from './run-step';
import { setAside } from './set-aside';

const BATCH = 100;
/**
 * Up to BATCH due steps run in ONE transaction, in groups of steps of DIFFERENT leads that run side
 * by side. Each step is still all-or-nothing with its unique execution key (a crash rolls the batch
 * back and it re-runs exactly once). Why: every IndexedDB request is a round trip to the browser
 * process and a transaction adds several; one step per transaction is bound by that latency (measured
 * ~240 steps/s in Chromium on the CI box, npm run bench). Steps of different leads touch different
 * rows, so their requests can overlap; steps of one lead never share a group, so they keep their
 * order and never race on the lead's row.
 */
const GROUP = 100;

/**
 * Runs every step due at `now`, in due order. Reads only the [runner+state+nextDueAt] index: enrollments
 * that are not due are never touched (DESIGN §5). Steps that become due by running earlier ones
 * (same due time) run in the same call, in order.
 */
export async function runDueSteps(deps: EngineDeps, now: EpochMs): Promise<number> {
  let ran = 0;
  for (;;) {
    const batch = await runBatch(deps, now).catch((err: unknown) => {
      console.warn('A batch of due steps failed; running them one by one', err);
      return runBatchStepByStep(deps, now);
    });
    ran += batch.ran;
    // A step set aside is progress too: it left the due rows, so the next read reaches the work behind it.
    if (batch.due === 0 || batch.ran + batch.setAside === 0) return ran;
  }
}

/** This computer's due enrollments (runner "here"): those other computers run never fill the read. */
const dueNow = (deps: EngineDeps, now: EpochMs) =>
  deps.db.enrollments
    .where('[runner+state+nextDueAt]')
    .between([HERE, 'active', -Infinity], [HERE, 'active', now], true, true)
    .limit(BATCH)
    .toArray();

interface BatchResult {
  due: number;
  ran: number;
  /** Steps that failed and were moved back (scheduler/set-aside.ts). */
  setAside: number;
}

async function runBatch(outer: EngineDeps, now: EpochMs): Promise<BatchResult> {
  // Staged: a lead's row and its enrollment are written once per batch, however many steps changed them.
  return await outer.db.transaction('rw', stepTables(outer), async (trans) => {
    // Every step's reads and writes go to this transaction, whatever Dexie's zone tracking does.
    const deps = depsIn(outer, trans);
    return withStagedWrites(async () => {
      const due = await dueNow(deps, now);
      // What most steps of the batch read, once, before they start: each then takes it at once (rowOf, cachedRow).
      if (due.length > 0)
        await Promise.all([
          ...[...new Set(due.map((e) => e.planId))].map((id) => deps.db.plans.get(id)),
          deps.db.account.get('account'),
          readyPlans(deps),
        ]);
      // A lead's next step may run right after its previous one when nothing of another row in this
      // batch, or beyond it, can be due earlier: up to the last due time read (all of it when the
      // read was not cut at BATCH), and only for a lead with no other row in the batch.
      const horizon = due.length < BATCH ? now : (due[due.length - 1]?.nextDueAt ?? now);
      // The lead's due rows as read, before any step: what its stored brief must agree with (touchLead).
      const dueOf = new Map<LeadId, Enrollment[]>();
      for (const e of due) dueOf.set(e.leadId, [...(dueOf.get(e.leadId) ?? []), e]);
      // A row read above is current until a step of its lead runs (steps only touch their own lead).
      const touched = new Set<LeadId>();
      let ran = 0;
      for (const group of groupsByLead(due)) {
        const results = await Promise.all(
          group.map(async (e) => {
            const first = touched.has(e.leadId) ? await runNextStepIn(deps, e.id, now) : await runStepOf(deps, e, now);
            if (first !== 'ran') return 0;
            return dueOf.get(e.leadId)!.length === 1 ? chain(deps, e, now, horizon) : 1;
          }),
        );
        const leads = group.filter((_, i) => results[i]! > 0).map((e) => e.leadId);
        // The leads table's summary (active plans, next step due, last activity) changes with the steps, atomically.
        await Promise.all(leads.map((id) => touchLead(deps, id, dueOf.get(id))));
        for (const id of leads) touched.add(id);
        ran += results.reduce((a, b) => a + b, 0);
      }
      return { due: due.length, ran, setAside: 0 };
    });
  });
}

/** At most this many steps of one enrollment in a row: a plan of many immediate steps cannot hold a batch. */
const CHAIN = 10;

/**
 * Runs the enrollment's next steps while they are due by `horizon` (after its first one ran): the
 * lead's row and the plan are then read once and its summary written once for all of them.
 * Returns how many steps ran in all.
 */
async function chain(deps: EngineDeps, e: Enrollment, now: EpochMs, horizon: EpochMs): Promise<number> {
  let ran = 1;
  while (ran < CHAIN) {
    // The step just wrote this row: the transaction's cache has it.
    const next = await rowOf(deps.db.enrollments, e.id);
    if (!next || next.state !== 'active' || next.nextDueAt === null || next.nextDueAt > horizon) break;
    if ((await runStepOf(deps, next, now)) !== 'ran') break;
    ran++;
  }
  return ran;
}

/**
 * One bad record must not hold the others: each due step on its own transaction, and a step that
 * fails is set aside (a growing wait, then paused with the reason), so it leaves the due rows and the
 * next read reaches the healthy work behind it.
 */
async function runBatchStepByStep(deps: EngineDeps, now: EpochMs): Promise<BatchResult> {
  const due = await dueNow(deps, now);
  let ran = 0;
  let setAsideCount = 0;
  for (const e of due) {
    try {
      if ((await runNextStep(deps, e.id, now)) === 'ran') ran++;
    } catch (err) {
      console.warn(`A step of enrollment ${e.id} failed; it is set aside`, err);
      try {
        await setAside(deps, e.id, err, now);
        setAsideCount++;
      } catch (asideErr) {
        console.error(`Enrollment ${e.id} could not be set aside`, asideErr);
      }
    }
  }
  return { due: due.length, ran, setAside: setAsideCount };
}

/** Splits due enrollments (in due order) into groups with at most one enrollment per lead. */
function groupsByLead(due: Enrollment[]): Enrollment[][] {
  const groups: Enrollment[][] = [];
  let rest = due;
  while (rest.length > 0) {
    const leads = new Set<string>();
    const group: Enrollment[] = [];
    const later: Enrollment[] = [];
    for (const e of rest) {
      if (group.length < GROUP && !leads.has(e.leadId)) {
        leads.add(e.leadId);
        group.push(e);
      } else later.push(e);
    }
    groups.push(group);
    rest = later;
  }
  return groups;
}

/** When the next step is due (for the loop's sleep), or null when nothing is scheduled. */
export async function nextStepDueAt(deps: EngineDeps): Promise<EpochMs | null> {
  const first = await deps.db.enrollments
    .where('[runner+state+nextDueAt]')
    .between([HERE, 'active', -Infinity], [HERE, 'active', Infinity])
    .first();
  return first?.nextDueAt ?? null;
}

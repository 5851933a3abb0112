import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { touchLead } from '../leads/touch';
import { runNextStep, runNextStepIn, runStepOf, stepTables } from './run-step';

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
const GROUP = 50;

/**
 * Runs every step due at `now`, in due order. Reads only the [state+nextDueAt] index: enrollments
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
    if (batch.due === 0 || batch.ran === 0) return ran;
  }
}

const dueNow = (deps: EngineDeps, now: EpochMs) =>
  deps.db.enrollments.where('[state+nextDueAt]').between(['active', -Infinity], ['active', now], true, true).limit(BATCH).toArray();

interface BatchResult {
  due: number;
  ran: number;
}

async function runBatch(deps: EngineDeps, now: EpochMs): Promise<BatchResult> {
  return await deps.db.transaction('rw', stepTables(deps), async () => {
    const due = await dueNow(deps, now);
    // A row read above is current until a step of its lead runs (steps only touch their own lead).
    const touched = new Set<LeadId>();
    let ran = 0;
    for (const group of groupsByLead(due)) {
      const results = await Promise.all(
        group.map((e) => (touched.has(e.leadId) ? runNextStepIn(deps, e.id, now) : runStepOf(deps, e, now))),
      );
      const leads = group.filter((_, i) => results[i] === 'ran').map((e) => e.leadId);
      // The leads table's summary (active plans, next step due, last activity) changes with the steps, atomically.
      await Promise.all(leads.map((id) => touchLead(deps, id)));
      for (const id of leads) touched.add(id);
      ran += leads.length;
    }
    return { due: due.length, ran };
  });
}

/** One bad record must not hold the others: each due step on its own; a failure stays with its step. */
async function runBatchStepByStep(deps: EngineDeps, now: EpochMs): Promise<BatchResult> {
  const due = await dueNow(deps, now);
  let ran = 0;
  for (const e of due) {
    try {
      if ((await runNextStep(deps, e.id, now)) === 'ran') ran++;
    } catch (err) {
      console.error('step failed', e.id, err);
    }
  }
  return { due: due.length, ran };
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
  const first = await deps.db.enrollments.where('[state+nextDueAt]').between(['active', -Infinity], ['active', Infinity]).first();
  return first?.nextDueAt ?? null;
}

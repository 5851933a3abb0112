import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { runNextStep, runNextStepIn, stepTables } from './run-step';

const BATCH = 100;
/**
 * Up to this many due steps, each of a DIFFERENT lead, run side by side in one transaction. Each
 * step is still all-or-nothing with its unique execution key (a crash rolls the group back and it
 * re-runs exactly once). Why: every IndexedDB request is a round trip to the browser process; one
 * step after another is bound by that latency (measured ~240 steps/s in Chromium on the CI box);
 * steps of different leads touch different rows, so their requests can overlap. Steps of one lead
 * never share a group, so they keep their order and never race on the lead's row.
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
    const due = await deps.db.enrollments
      .where('[state+nextDueAt]')
      .between(['active', -Infinity], ['active', now], true, true)
      .limit(BATCH)
      .toArray();
    if (due.length === 0) return ran;
    let progressed = 0;
    for (const group of groupsByLead(due)) progressed += await runGroup(deps, group, now);
    ran += progressed;
    if (progressed === 0) return ran;
  }
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

async function runGroup(deps: EngineDeps, group: Enrollment[], now: EpochMs): Promise<number> {
  const count = (results: string[]) => results.filter((r) => r === 'ran').length;
  if (group.length === 1) return count([await runNextStep(deps, group[0]!.id, now)]);
  try {
    return count(
      await deps.db.transaction('rw', stepTables(deps), async () => await Promise.all(group.map((e) => runNextStepIn(deps, e.id, now)))),
    );
  } catch {
    // One bad record must not hold the others: run each on its own; a failure stays with its step.
    let ran = 0;
    for (const e of group) {
      try {
        if ((await runNextStep(deps, e.id, now)) === 'ran') ran++;
      } catch (err) {
        console.error('step failed', e.id, err);
      }
    }
    return ran;
  }
}

/** When the next step is due (for the loop's sleep), or null when nothing is scheduled. */
export async function nextStepDueAt(deps: EngineDeps): Promise<EpochMs | null> {
  const first = await deps.db.enrollments.where('[state+nextDueAt]').between(['active', -Infinity], ['active', Infinity]).first();
  return first?.nextDueAt ?? null;
}

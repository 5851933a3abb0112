import type { EpochMs } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { runNextStep } from './run-step';

const BATCH = 100;

/**
 * Runs every step due at `now`, in due order, each in its own transaction. Reads only the
 * [state+nextDueAt] index: enrollments that are not due are never touched (DESIGN §5).
 * Steps that become due by running earlier ones (same due time) run in the same call, in order.
 */
export async function runDueSteps(deps: EngineDeps, now: EpochMs): Promise<number> {
  let ran = 0;
  for (;;) {
    const due = await deps.db.enrollments
      .where('[state+nextDueAt]')
      .between(['active', -Infinity], ['active', now], true, true)
      .limit(BATCH)
      .primaryKeys();
    if (due.length === 0) return ran;
    let progressed = 0;
    for (const id of due) if ((await runNextStep(deps, id, now)) === 'ran') progressed++;
    ran += progressed;
    if (progressed === 0) return ran;
  }
}

/** When the next step is due (for the loop's sleep), or null when nothing is scheduled. */
export async function nextStepDueAt(deps: EngineDeps): Promise<EpochMs | null> {
  const first = await deps.db.enrollments.where('[state+nextDueAt]').between(['active', -Infinity], ['active', Infinity]).first();
  return first?.nextDueAt ?? null;
}

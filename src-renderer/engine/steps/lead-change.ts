import type { Lead } from '@shared/model/lead';
import { fireTriggers } from '../enrollments/triggers';
import { leadSearchWords } from '../store/search-key';
import type { StepKind } from '@shared/model/plan';
import type { StepOutcome, StepRun } from './types';

/**
 * Applies an internal effect to the lead inside the step's transaction and records it. The change can
 * fire other plans' triggers; the automation chain goes along so a loop is refused, not run forever.
 */
export async function changeLead<K extends StepKind>(run: StepRun<K>, patch: Partial<Lead>, summary: string): Promise<StepOutcome> {
  const { deps, lead, now } = run;
  const after: Lead = { ...lead, ...patch, updatedAt: now };
  // Decided first: the step's line lists before the enrollments its change triggers.
  const outcome = run.done(summary);
  // Independent writes go out together: IndexedDB round trips are what a step costs (npm run bench).
  await Promise.all([
    deps.db.leads.put({ ...after, searchWords: leadSearchWords(after) }),
    fireTriggers(deps, lead, after, [...(run.enrollment.chain ?? []), run.plan.id]),
  ]);
  return outcome;
}

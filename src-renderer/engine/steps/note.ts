import { renderText } from '../templates/render';
import { mergeScopeFor } from './merge';
import type { StepExecutor } from './types';

/** A note on the lead's timeline, with merge fields. */
export const runAddNote: StepExecutor<'addNote'> = async (run) => {
  let text: string;
  try {
    text = renderText(run.step.note, await mergeScopeFor(run.deps, run.lead, run.plan));
  } catch (err) {
    return run.fail(`its note could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  return run.outcome({ outcome: 'done', reason: null, kind: 'note', summary: text });
};

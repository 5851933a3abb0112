import type { StepKind } from '@shared/model/plan';
import { renderText } from '../templates/render';
import { makeTask } from './deliver';
import { mergeScopeFor } from './merge';
import type { StepExecutor, StepRun } from './types';

async function merged<K extends StepKind>(run: StepRun<K>, template: string): Promise<string> {
  try {
    return renderText(template, await mergeScopeFor(run.deps, run.lead, run.plan));
  } catch {
    // A task is for the user, not the lead: show the raw text rather than lose the reminder.
    return template;
  }
}

/** A contact reminder for the lead's user, due now. */
export const runTask: StepExecutor<'task'> = async (run) => {
  const task = await makeTask(run, 'todo', await merged(run, run.step.title), await merged(run, run.step.notes), null);
  run.effects.taskId = task.id;
  return run.done(`Task for the agent: ${task.title}`);
};

/** A call task for the dialer / the user's call list. */
export const runAutomatedCall: StepExecutor<'automatedCall'> = async (run) => {
  const task = await makeTask(run, 'call', await merged(run, run.step.title), await merged(run, run.step.script), null);
  run.effects.taskId = task.id;
  return run.done(`Call task for the agent: ${task.title}`);
};

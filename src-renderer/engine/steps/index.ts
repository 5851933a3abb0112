import type { StepKind } from '@shared/model/plan';
import { runEmail } from './email';
import { runAddTags, runAssignUser, runChangeContactType, runChangeStage, runRemoveTags, runUnassignUser } from './lead-fields';
import { runAddNote } from './note';
import { runAssignPlan, runPauseAllPlans, runPausePlan, runRepeatPlan } from './plan-control';
import { runSms } from './sms';
import { runAutomatedCall, runTask } from './task';
import type { StepExecutor } from './types';
import { runWebhook } from './webhook';

/**
 * One executor per step kind. A kind without an executor cannot be saved in a plan
 * (plans/validate.ts reads this map), so nothing is ever half-run.
 */
export const STEP_EXECUTORS: Partial<{ [K in StepKind]: StepExecutor<K> }> = {
  email: runEmail,
  task: runTask,
  automatedCall: runAutomatedCall,
  addTags: runAddTags,
  removeTags: runRemoveTags,
  changeStage: runChangeStage,
  changeContactType: runChangeContactType,
  addNote: runAddNote,
  assignUser: runAssignUser,
  unassignUser: runUnassignUser,
  assignPlan: runAssignPlan,
  pausePlan: runPausePlan,
  pauseAllPlans: runPauseAllPlans,
  repeatPlan: runRepeatPlan,
  sms: runSms,
  webhook: runWebhook,
};

export const RUNNABLE_KINDS: ReadonlySet<string> = new Set(Object.keys(STEP_EXECUTORS));

import type { StepKind } from '@shared/model/plan';
import { runEmail } from './email';
import { runSms } from './sms';
import type { StepExecutor } from './types';
import { runWebhook } from './webhook';

/**
 * One executor per step kind. A kind without an executor cannot be saved in a plan
 * (plans/validate.ts reads this map), so nothing is ever half-run.
 */
export const STEP_EXECUTORS: Partial<{ [K in StepKind]: StepExecutor<K> }> = {
  email: runEmail,
  sms: runSms,
  webhook: runWebhook,
};

export const RUNNABLE_KINDS: ReadonlySet<string> = new Set(Object.keys(STEP_EXECUTORS));

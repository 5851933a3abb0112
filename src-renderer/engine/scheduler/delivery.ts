import type { EpochMs } from '@shared/model/ids';
import type { Plan, Step } from '@shared/model/plan';
import type { TouchChannel } from '@shared/model/send-policy';
import type { Delivery } from '../steps/types';

const HOUR = 3_600_000;

/** Steps that send something to the lead: missed-run policies, review and send windows apply to them. */
export const MESSAGE_KINDS: ReadonlySet<string> = new Set(['email', 'sms', 'webhook']);

export function touchChannel(step: Pick<Step, 'kind'>): TouchChannel | null {
  return step.kind === 'email' || step.kind === 'sms' ? step.kind : null;
}

/** True when a message step is overdue beyond the plan's grace (the app was off or asleep). */
export function isMissed(plan: Pick<Plan, 'misfire'>, step: Pick<Step, 'kind'>, lateByMs: EpochMs): boolean {
  return MESSAGE_KINDS.has(step.kind) && lateByMs > plan.misfire.graceHours * HOUR;
}

/**
 * How a message step delivers (DESIGN §2, §5): a missed run follows the plan's policy (task or
 * review queue); a traditional plan makes every message a task for the user; a step may ask for
 * review first or to be sent unless reviewed within N hours; otherwise it sends by itself.
 */
export function deliveryFor(plan: Pick<Plan, 'type' | 'misfire'>, step: Step, missed: boolean): Delivery {
  if (!MESSAGE_KINDS.has(step.kind)) return { mode: 'auto' };
  if (missed && plan.misfire.policy === 'task') return { mode: 'task', why: 'it was missed while the app was not running' };
  if (missed && plan.misfire.policy === 'review') return { mode: 'review', why: 'it was missed while the app was not running' };
  if (plan.type === 'traditional' && step.kind !== 'webhook') return { mode: 'review', why: 'traditional plan: you send each message' };
  if ('review' in step) {
    if (step.review.mode === 'reviewFirst') return { mode: 'review', why: 'review first' };
    if (step.review.mode === 'sendUnlessReviewed') return { mode: 'sendUnlessReviewed', hours: step.review.hours };
  }
  return { mode: 'auto' };
}

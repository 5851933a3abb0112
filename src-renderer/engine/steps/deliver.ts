import type { OutboxId } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { describeMessage } from '@shared/model/outbox';
import type { TaskKind } from '@shared/model/task';
import { stepPriority } from '../outbox/priority';
import { createTask } from '../tasks/app';
import { taskAssignee } from './assignee';
import type { StepKind } from '@shared/model/plan';
import type { StepOutcome, StepRun } from './types';

const HOUR = 3_600_000;

/** The channel-specific part of a message; deliverMessage adds the bookkeeping fields. */
export type MessageBody =
  | { channel: 'email'; email: Extract<OutboxMessage, { channel: 'email' }>['email'] }
  | { channel: 'sms'; sms: Extract<OutboxMessage, { channel: 'sms' }>['sms'] }
  | { channel: 'webhook'; webhook: Extract<OutboxMessage, { channel: 'webhook' }>['webhook'] };

/**
 * Writes a step's message to the outbox in the step's transaction, the way `run.delivery` says:
 * queued to send now; held for the user's review (a review task carries it, "send now" releases it);
 * queued for later unless reviewed first; or, for a missed run under the "task" policy, a task to
 * contact the lead by hand. Every message-sending step kind (email, sms, webhook) goes through here.
 */
export async function deliverMessage<K extends StepKind>(run: StepRun<K>, body: MessageBody, text: string): Promise<StepOutcome> {
  const { deps, lead, plan, step, enrollment, now, key, delivery } = run;
  const base = {
    id: deps.newId() as OutboxId,
    idempotencyKey: key,
    leadId: lead.id,
    enrollmentId: enrollment.id,
    planId: plan.id,
    stepId: step.id,
    attempts: 0,
    createdAt: now,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
    // Speed to lead: a new enrollment's immediate message goes before catch-up backlog (outbox/priority.ts).
    priority: stepPriority(step.timing, enrollment, now),
  };
  const held = delivery.mode === 'review';
  const nextAttemptAt = held ? null : delivery.mode === 'sendUnlessReviewed' ? now + delivery.hours * HOUR : now;
  const message = { ...base, ...body, status: held ? 'held' : 'queued', nextAttemptAt } as OutboxMessage;
  const what = describeMessage(message);

  if (delivery.mode === 'task') {
    const task = await makeTask(run, 'todo', `Missed: ${what}`, text, null);
    run.effects.taskId = task.id;
    return run.outcome({
      outcome: 'done',
      reason: delivery.why,
      kind: 'skipped',
      summary: `${what} not sent: ${delivery.why}; a task was made instead`,
    });
  }

  await deps.db.outbox.add(message);
  if (delivery.mode === 'auto') {
    return run.outcome({ outcome: 'queued', reason: null, outboxId: message.id, kind: 'queued', summary: `${what} queued` });
  }
  const kind: TaskKind = body.channel === 'sms' ? 'reviewSms' : 'reviewEmail';
  const task = await makeTask(run, kind, `Review and send: ${what}`, text, message.id);
  run.effects.taskId = task.id;
  const summary =
    delivery.mode === 'review'
      ? `${what} waits for review (${delivery.why})`
      : `${what} will be sent in ${delivery.hours} h unless reviewed first`;
  return run.outcome({ outcome: 'queued', reason: null, outboxId: message.id, kind: 'heldForReview', summary });
}

/** A task for the lead's user, made by this step. */
export function makeTask<K extends StepKind>(run: StepRun<K>, kind: TaskKind, title: string, notes: string, outboxId: OutboxId | null) {
  return createTask(run.deps, {
    kind,
    title,
    notes,
    leadId: run.lead.id,
    assigneeId: taskAssignee(run.lead, run.plan),
    dueAt: run.now,
    planId: run.plan.id,
    enrollmentId: run.enrollment.id,
    stepId: run.step.id,
    outboxId,
  });
}

import type { OutboxId } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { smsSegments } from '@shared/sms-segments';
import { record } from '../history/history';
import { renderText } from '../templates/render';
import { mergeScopeFor } from './merge';
import type { StepExecutor } from './types';

export const runSms: StepExecutor<'sms'> = async (run) => {
  const { deps, lead, step, enrollment, plan, now, key } = run;
  if (lead.optOuts.sms) return run.skip('the lead opted out of text messages');
  if (!lead.phone) return run.skip('the lead has no mobile number');
  let body: string;
  try {
    body = renderText(step.body, await mergeScopeFor(deps, lead, plan)).trim();
  } catch (err) {
    return run.fail(`its message could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!body) return run.skip('the text is empty after merging');
  const message: OutboxMessage = {
    id: deps.newId() as OutboxId,
    idempotencyKey: key,
    channel: 'sms',
    leadId: lead.id,
    enrollmentId: enrollment.id,
    planId: plan.id,
    stepId: step.id,
    sms: { to: lead.phone, body },
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
  };
  await deps.db.outbox.add(message);
  const { segments, encoding } = smsSegments(body);
  await record(deps.db, deps.newId(), {
    ...run.history,
    outboxId: message.id,
    kind: 'queued',
    summary: `Text queued to ${lead.phone} (${segments} part${segments === 1 ? '' : 's'}, ${encoding})`,
  });
  return { ...run.base, outcome: 'queued', reason: null };
};

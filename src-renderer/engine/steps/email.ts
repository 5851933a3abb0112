import type { OutboxId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import type { OutboxMessage } from '@shared/model/outbox';
import { record } from '../history/history';
import { renderText, textToHtml } from '../templates/render';
import { mergeScopeFor } from './merge';
import { senderFor, withSignature } from './sender';
import type { StepExecutor } from './types';

export const runEmail: StepExecutor<'email'> = async (run) => {
  const { deps, lead, step, enrollment, plan, now, key } = run;
  if (lead.optOuts.email) return run.skip('the lead opted out of email');
  if (!lead.email) return run.skip('the lead has no email address');
  const scope = await mergeScopeFor(deps, lead, plan);
  let subject: string;
  let text: string;
  try {
    subject = renderText(step.subject, scope)
      .replace(/[\r\n]+/g, ' ')
      .trim();
    text = renderText(step.body, scope);
  } catch (err) {
    return run.fail(`its message could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  const sender = await senderFor(deps, lead, plan);
  if (sender) text = withSignature(text, sender.signature);
  const message: OutboxMessage = {
    id: deps.newId() as OutboxId,
    idempotencyKey: key,
    channel: 'email',
    leadId: lead.id,
    enrollmentId: enrollment.id,
    planId: plan.id,
    stepId: step.id,
    email: {
      to: lead.email,
      toName: leadDisplayName(lead),
      subject,
      text,
      html: textToHtml(text),
      ...(sender?.as ?? {}),
    },
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
  };
  await deps.db.outbox.add(message);
  await record(deps.db, deps.newId(), {
    ...run.history,
    outboxId: message.id,
    kind: 'queued',
    summary: `Email "${subject}" queued to ${lead.email}`,
  });
  return { ...run.base, outcome: 'queued', reason: null };
};

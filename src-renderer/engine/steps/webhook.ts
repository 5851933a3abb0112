import type { OutboxId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { OutboxMessage, WebhookRequest } from '@shared/model/outbox';
import { record } from '../history/history';
import { renderText } from '../templates/render';
import { mergeScopeFor } from './merge';
import type { StepExecutor } from './types';

/** "Send all fields": the lead as a flat key/value payload, the way Zapier-style endpoints read it. */
export function allLeadFields(lead: Lead): Record<string, string> {
  const fields: Record<string, string> = {
    id: lead.id,
    firstName: lead.firstName,
    lastName: lead.lastName,
    fullName: leadDisplayName(lead),
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    stage: lead.stage,
    source: lead.source,
    tags: lead.tags.join(', '),
    timeZone: lead.timeZone,
    buyerAgent: lead.assignees.buyerAgent ?? '',
    listingAgent: lead.assignees.listingAgent ?? '',
    lender: lead.assignees.lender ?? '',
  };
  for (const [name, date] of Object.entries(lead.eventDates)) fields[`event.${name}`] = date;
  return fields;
}

export const runWebhook: StepExecutor<'webhook'> = async (run) => {
  const { deps, lead, step, enrollment, plan, now, key } = run;
  let payload: Record<string, string>;
  let headers: WebhookRequest['headers'];
  try {
    const scope = await mergeScopeFor(deps, lead, plan);
    headers = step.headers.map((h) => ({ name: h.name, value: renderText(h.value, scope).replace(/[\r\n]+/g, ' ') }));
    payload =
      step.payload.mode === 'allLeadFields'
        ? allLeadFields(lead)
        : Object.fromEntries(step.payload.fields.map((f) => [f.key, renderText(f.value, scope)]));
  } catch (err) {
    return run.fail(`its payload could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  const message: OutboxMessage = {
    id: deps.newId() as OutboxId,
    idempotencyKey: key,
    channel: 'webhook',
    leadId: lead.id,
    enrollmentId: enrollment.id,
    planId: plan.id,
    stepId: step.id,
    webhook: { method: step.method, url: step.url, headers, payload },
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
    summary: `Webhook ${step.method} ${step.url} queued`,
  });
  return { ...run.base, outcome: 'queued', reason: null };
};

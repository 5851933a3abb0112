import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { StepAction } from '@shared/model/plan';
import type { WebhookRequest } from '@shared/model/outbox';
import type { MergeScope } from '../templates/render';
import { renderText } from '../templates/render';
import { deliverMessage } from './deliver';
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

type WebhookStep = Pick<Extract<StepAction, { kind: 'webhook' }>, 'headers' | 'payload'>;

/** A webhook step's headers and payload with the merge fields filled in (throws when a template cannot render). */
export function mergeWebhook(
  step: WebhookStep,
  lead: Lead,
  scope: MergeScope,
): { headers: WebhookRequest['headers']; payload: Record<string, string> } {
  // A merged value never breaks a header onto a second line (header injection).
  const headers = step.headers.map((h) => ({ name: h.name, value: renderText(h.value, scope).replace(/[\r\n]+/g, ' ') }));
  const payload =
    step.payload.mode === 'allLeadFields'
      ? allLeadFields(lead)
      : Object.fromEntries(step.payload.fields.map((f) => [f.key, renderText(f.value, scope)]));
  return { headers, payload };
}

export const runWebhook: StepExecutor<'webhook'> = async (run) => {
  const { deps, lead, step, plan } = run;
  let payload: Record<string, string>;
  let headers: WebhookRequest['headers'];
  try {
    ({ headers, payload } = mergeWebhook(step, lead, await mergeScopeFor(deps, lead, plan)));
  } catch (err) {
    return run.fail(`its payload could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = Object.entries(payload)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return deliverMessage(run, { channel: 'webhook', webhook: { method: step.method, url: step.url, headers, payload } }, text);
};

import type { z } from 'zod';
import type { webhookTestParamsSchema, WebhookTestResult } from '@shared/contract/plan-tools';
import type { LeadId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { User } from '@shared/model/team';
import { AppError, notFound, validationFailed } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { getLead } from '../leads/app';
import { withWebhookDefaults } from '../outbox/channels';
import { mergeWebhook } from '../steps/webhook';
import { mergeScope, templateProblems } from '../templates/render';

type Params = z.output<typeof webhookTestParamsSchema>;

/** Values a test request is merged with when no lead is chosen: plausible, and plainly not a real person. */
export function sampleLead(user: User, now: number): Lead {
  return {
    id: 'sample-lead' as LeadId,
    firstName: 'Sample',
    lastName: 'Lead',
    email: 'sample.lead@example.com',
    phone: '+14155550123',
    timeZone: user.timeZone,
    stage: 'New',
    contactType: 'Lead',
    source: 'Sample',
    tags: ['sample'],
    assignees: { buyerAgent: user.id },
    eventDates: {},
    optOuts: { email: false, sms: false },
    createdAt: now,
    updatedAt: now,
    createdBy: user.id,
  };
}

/** Every merge-field problem, keyed by the field the builder shows it next to. */
function problemsOf(p: Params): { path: string; message: string }[] {
  const issues = p.headers.flatMap((h, i) => templateProblems(h.value).map((message) => ({ path: `headers.${i}.value`, message })));
  if (p.payload.mode === 'fields') {
    p.payload.fields.forEach((f, i) =>
      issues.push(...templateProblems(f.value).map((message) => ({ path: `payload.fields.${i}.value`, message }))),
    );
  }
  return issues;
}

/**
 * Sends the step once, as the plan would for this lead, and reports what came back. It is a test:
 * no outbox row, no delivery attempt, no history entry, no sent journal — pressing it twice sends twice.
 */
export async function testWebhook(deps: EngineDeps, p: Params, user: User): Promise<WebhookTestResult> {
  const issues = problemsOf(p);
  if (issues[0]) throw validationFailed(`The test request cannot be merged: ${issues[0].message}`, issues);
  const lead = p.leadId ? await getLead(deps, p.leadId) : sampleLead(user, deps.clock.now());
  const agentId: UserId = lead.assignees.buyerAgent ?? lead.assignees.listingAgent ?? user.id;
  const [agent, account] = await Promise.all([deps.db.users.get(agentId), deps.db.account.get('account')]);
  if (!account) throw notFound('Account', 'account');
  // Rows the user left blank in the editor are not sent (the plan refuses to save them as Ready anyway).
  const step = {
    headers: p.headers.filter((h) => h.name.trim() !== ''),
    payload:
      p.payload.mode === 'fields' ? { mode: 'fields' as const, fields: p.payload.fields.filter((f) => f.key.trim() !== '') } : p.payload,
  };
  const merged = mergeWebhook(step, lead, mergeScope(lead, agent ?? user, account));
  const call = await withWebhookDefaults(deps, { method: p.method, url: p.url, ...merged });
  const mergedWith = p.leadId ? leadDisplayName(lead) : 'sample values';
  try {
    const answer = await deps.host.call('webhook.test', call);
    return { outcome: 'answered', mergedWith, ...answer };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'DeliveryFailed') throw err;
    const d = err.details ?? {};
    return {
      outcome: 'failed',
      mergedWith,
      code: typeof d.deliveryCode === 'string' ? d.deliveryCode : 'DeliveryFailed',
      reason: err.message,
      durationMs: typeof d.durationMs === 'number' ? d.durationMs : null,
      request: (d.request as WebhookTestResult['request'] | undefined) ?? null,
    };
  }
}

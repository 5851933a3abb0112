import type { HostContract, WebhookResult } from '@shared/contract/host';
import type { DeliveryAttempt, RecordedRequest } from '@shared/model/channels';
import type { EpochMs, OutboxId } from '@shared/model/ids';
import type { OutboxMessage } from '@shared/model/outbox';
import { AppError } from '@shared/rpc/errors';
import type { ParamsOf } from '@shared/rpc/spec';
import { getChannelSetting } from '../channels/store';
import type { EngineDeps } from '../deps';

/** What one delivery attempt showed, for the monitor: filled in from the host's answer or its error. */
export interface AttemptInfo {
  status: number | null;
  responseExcerpt: string;
  durationMs: number | null;
  request: RecordedRequest | null;
}

export interface Delivered {
  messageId: string;
  response: string;
  attempt?: AttemptInfo;
}

type Of<C extends OutboxMessage['channel']> = Extract<OutboxMessage, { channel: C }>;

export async function deliverSms(deps: EngineDeps, m: Of<'sms'>): Promise<Delivered> {
  const gateway = await getChannelSetting(deps.db, 'smsGateway');
  if (!gateway) {
    throw new AppError('DeliveryFailed', 'No SMS gateway is set up. Add one in Settings → Text messages; the text is kept until then.', {
      deliveryCode: 'NoSmsGateway',
      retryable: true,
    });
  }
  const r = await deps.host.call('sms.send', { gateway, message: m.sms, idempotencyKey: m.idempotencyKey });
  const response = r.duplicate ? `${r.response} (sent earlier)` : `${r.response} · ${r.segments} part${r.segments === 1 ? '' : 's'}`;
  return { messageId: r.messageId, response, attempt: { status: null, responseExcerpt: response, durationMs: null, request: null } };
}

/** A webhook request with the account's defaults: its timeout and headers (a step's own header of the same name wins). */
export async function withWebhookDefaults(
  deps: EngineDeps,
  webhook: Of<'webhook'>['webhook'],
): Promise<{ request: ParamsOf<HostContract['webhook.send']>['request']; timeoutMs: number }> {
  const defaults = await getChannelSetting(deps.db, 'webhookDefaults');
  const own = new Set(webhook.headers.map((h) => h.name.toLowerCase()));
  const plain = defaults.headers.flatMap((h) => (!h.secret && !own.has(h.name.toLowerCase()) ? [{ name: h.name, value: h.value }] : []));
  const secretHeaders = defaults.headers.flatMap((h) =>
    h.secret && !own.has(h.name.toLowerCase()) ? [{ name: h.name, secret: h.secretName }] : [],
  );
  return { request: { ...webhook, headers: [...plain, ...webhook.headers], secretHeaders }, timeoutMs: defaults.timeoutSeconds * 1000 };
}

export async function deliverWebhook(deps: EngineDeps, m: Of<'webhook'>): Promise<Delivered> {
  const r: WebhookResult = await deps.host.call('webhook.send', {
    ...(await withWebhookDefaults(deps, m.webhook)),
    idempotencyKey: m.idempotencyKey,
  });
  const response = r.duplicate ? 'delivered earlier' : `HTTP ${r.status}${r.responseExcerpt ? `: ${r.responseExcerpt}` : ''}`;
  return {
    messageId: `HTTP ${r.status}`,
    response,
    attempt: r.duplicate
      ? undefined
      : { status: r.status, responseExcerpt: r.responseExcerpt, durationMs: r.durationMs, request: r.request },
  };
}

export async function deliverNotification(deps: EngineDeps, m: Of<'notification'>): Promise<Delivered> {
  const { shown } = await deps.host.call('notify.show', { ...m.notification, leadId: m.leadId });
  // Web mode: the page shows it with the browser's Notification API.
  if (!shown) deps.emit?.('notification', { ...m.notification, leadId: m.leadId });
  return { messageId: m.idempotencyKey, response: shown ? 'shown on the desktop' : 'shown in the app window' };
}

/** The monitor's view of a failed attempt, from the details the host put on its error. */
export function attemptFromError(err: unknown): AttemptInfo | undefined {
  if (!(err instanceof AppError) || !err.details) return undefined;
  const d = err.details;
  const request = isRecordedRequest(d.request) ? d.request : null;
  return {
    status: typeof d.status === 'number' ? d.status : null,
    responseExcerpt: typeof d.response === 'string' && d.response ? d.response : err.message,
    durationMs: typeof d.durationMs === 'number' ? d.durationMs : null,
    request,
  };
}

function isRecordedRequest(v: unknown): v is RecordedRequest {
  return (
    typeof v === 'object' && v !== null && typeof (v as RecordedRequest).url === 'string' && Array.isArray((v as RecordedRequest).headers)
  );
}

export function attemptRow(
  deps: EngineDeps,
  m: OutboxMessage,
  at: EpochMs,
  ok: boolean,
  info: AttemptInfo | undefined,
  errorCode: string | null,
  fallback: string,
): DeliveryAttempt {
  return {
    id: deps.newId(),
    outboxId: m.id,
    leadId: m.leadId,
    channel: m.channel,
    at,
    ok,
    status: info?.status ?? null,
    responseExcerpt: info?.responseExcerpt ?? fallback,
    durationMs: info?.durationMs ?? null,
    request: info?.request ?? null,
    errorCode,
  };
}

/** A desktop notification about a lead, sent through the outbox like any other effect (so it is shown once). */
export function notificationRow(
  deps: EngineDeps,
  m: Pick<OutboxMessage, 'leadId' | 'planId' | 'enrollmentId' | 'stepId'>,
  key: string,
  title: string,
  body: string,
  now: EpochMs,
): OutboxMessage {
  return {
    id: deps.newId() as OutboxId,
    idempotencyKey: key,
    channel: 'notification',
    leadId: m.leadId,
    enrollmentId: m.enrollmentId,
    planId: m.planId,
    stepId: m.stepId,
    notification: { title: title.slice(0, 200), body: body.slice(0, 1000) },
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    sentAt: null,
    providerMessageId: null,
    lastError: null,
  };
}

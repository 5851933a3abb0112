import type { z } from 'zod';
import type { webhookRequestSchema, WebhookResult } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';
import { httpCall, httpFailure, retryableStatus } from './http-call';
import type { SecretStore } from './types';

export type WebhookRequestParams = z.infer<typeof webhookRequestSchema>;

/**
 * Delivers one webhook (Zapier-style endpoint). A 2xx answer is success; any other answer, a timeout
 * or a redirect loop throws DeliveryFailed whose details carry what the monitor shows: status,
 * response excerpt, timing and the request with secrets masked.
 */
export async function sendWebhook(
  req: WebhookRequestParams,
  timeoutMs: number,
  secrets: SecretStore,
): Promise<Omit<WebhookResult, 'duplicate'>> {
  const headers = [...req.headers];
  for (const s of req.secretHeaders) {
    const value = await secrets.get(s.secret);
    if (value === null) {
      throw new AppError('DeliveryFailed', `The secret value of header "${s.name}" is missing. Enter it again in Settings → Webhooks.`, {
        deliveryCode: 'SecretMissing',
        retryable: true,
      });
    }
    headers.push({ name: s.name, value });
  }
  let url = req.url;
  let body: string | null = null;
  if (req.method === 'GET') {
    const u = new URL(req.url);
    for (const [k, v] of Object.entries(req.payload)) u.searchParams.set(k, v);
    url = u.toString();
  } else {
    body = JSON.stringify(req.payload);
    if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
  }
  const secretNames = new Set(req.secretHeaders.map((s) => s.name));
  const answer = await httpCall({ method: req.method, url, headers, secretNames, body, timeoutMs });
  if (answer.status < 200 || answer.status >= 300) {
    throw httpFailure(
      'HttpStatus',
      `${new URL(url).host} answered ${answer.status}${answer.excerpt ? `: ${answer.excerpt.slice(0, 120)}` : ''}.`,
      {
        retryable: retryableStatus(answer.status),
        status: answer.status,
        response: answer.excerpt,
        durationMs: answer.durationMs,
        request: answer.recorded,
      },
    );
  }
  return { status: answer.status, responseExcerpt: answer.excerpt, durationMs: answer.durationMs, request: answer.recorded };
}

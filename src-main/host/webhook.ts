import type { z } from 'zod';
import type { webhookRequestSchema, WebhookResult, WebhookTestAnswer } from '@shared/contract/host';
import { WEBHOOK_TEST_BODY_CHARS } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';
import type { HttpRequest } from './http-call';
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
  const http = await httpRequestFor(req, timeoutMs, secrets);
  const url = http.url;
  const answer = await httpCall(http);
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

/**
 * The builder's test request: the same request a plan step sends (secret headers included), but any
 * status is returned as an answer with the start of its body, so the user sees what the server said.
 */
export async function testWebhook(req: WebhookRequestParams, timeoutMs: number, secrets: SecretStore): Promise<WebhookTestAnswer> {
  const answer = await httpCall(await httpRequestFor(req, timeoutMs, secrets));
  return {
    status: answer.status,
    body: answer.text.slice(0, WEBHOOK_TEST_BODY_CHARS),
    truncated: answer.text.length > WEBHOOK_TEST_BODY_CHARS,
    durationMs: answer.durationMs,
    request: answer.recorded,
  };
}

/** The HTTP request for a webhook: secret header values read from the store, the payload as query or JSON body. */
async function httpRequestFor(req: WebhookRequestParams, timeoutMs: number, secrets: SecretStore): Promise<HttpRequest> {
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
  return { method: req.method, url, headers, secretNames, body, timeoutMs };
}

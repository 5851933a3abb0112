import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import type { smsGatewaySchema } from '@shared/contract/host';
import type { InboundSms } from '@shared/model/channels';
import { smsSegments } from '@shared/sms-segments';
import { AppError } from '@shared/rpc/errors';
import { httpCall, httpFailure, retryableStatus } from './http-call';
import type { HttpAnswer } from './http-call';
import type { SecretStore } from './types';

export type SmsGatewayParams = z.infer<typeof smsGatewaySchema>;

const TIMEOUT_MS = 15_000;

export interface SmsSent {
  messageId: string;
  status: string;
  response: string;
  segments: number;
}

/** E.164 checked by libphonenumber (a real numbering plan, not only the shape). */
export function toE164(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.isValid()) {
    throw new AppError('DeliveryFailed', `"${phone}" is not a valid phone number in E.164 form (e.g. +14155550123).`, {
      deliveryCode: 'PhoneInvalid',
      retryable: false,
    });
  }
  return parsed.number;
}

async function authToken(gateway: SmsGatewayParams, secrets: SecretStore): Promise<string | null> {
  if (!gateway.authTokenSecret) return null;
  const token = await secrets.get(gateway.authTokenSecret);
  if (token === null) {
    throw new AppError('DeliveryFailed', 'The SMS auth token is missing. Enter it again in Settings → Text messages.', {
      deliveryCode: 'SecretMissing',
      retryable: true,
    });
  }
  return token;
}

function twilioBase(g: Extract<SmsGatewayParams, { preset: 'twilio' }>): string {
  return `${g.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(g.accountSid)}`;
}

function basicAuth(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** A gateway's error sentence: Twilio's JSON `message`, else the excerpt. */
function gatewayWords(answer: HttpAnswer): string {
  try {
    const body = JSON.parse(answer.text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    /* not JSON: use the excerpt */
  }
  return answer.excerpt;
}

function refuse(answer: HttpAnswer, what: string): never {
  const words = gatewayWords(answer);
  throw httpFailure('HttpStatus', `The SMS gateway refused ${what} (${answer.status}${words ? `: ${words}` : ''}).`, {
    retryable: retryableStatus(answer.status),
    status: answer.status,
    response: answer.excerpt,
    durationMs: answer.durationMs,
    request: answer.recorded,
  });
}

function parseJson(answer: HttpAnswer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(answer.text);
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw httpFailure(
    'HttpBadAnswer',
    `The SMS gateway answered ${answer.status} with something that is not JSON: "${answer.excerpt.slice(0, 80)}".`,
    {
      retryable: true,
      status: answer.status,
      response: answer.excerpt,
      durationMs: answer.durationMs,
      request: answer.recorded,
    },
  );
}

/** Fills {{to}}, {{from}}, {{body}}; values are JSON-escaped when the body is JSON so a quote in a text cannot break it. */
export function fillTemplate(template: string, values: Record<string, string>, json: boolean): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return json ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v);
  });
}

export async function sendSms(gateway: SmsGatewayParams, message: { to: string; body: string }, secrets: SecretStore): Promise<SmsSent> {
  const to = toE164(message.to);
  const segments = smsSegments(message.body).segments;
  const token = await authToken(gateway, secrets);
  if (gateway.preset === 'twilio') {
    const form = new URLSearchParams({ To: to, From: gateway.fromNumber, Body: message.body });
    const answer = await httpCall({
      method: 'POST',
      url: `${twilioBase(gateway)}/Messages.json`,
      headers: [
        { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
        ...(token ? [{ name: 'Authorization', value: basicAuth(gateway.accountSid, token) }] : []),
      ],
      secretNames: new Set(['Authorization']),
      body: form.toString(),
      timeoutMs: TIMEOUT_MS,
    });
    if (answer.status < 200 || answer.status >= 300) refuse(answer, `the text to ${to}`);
    const body = parseJson(answer);
    const sid = typeof body.sid === 'string' ? body.sid : null;
    if (!sid) return refuse({ ...answer, status: answer.status }, `the text to ${to} (no message id in its answer)`);
    const status = typeof body.status === 'string' ? body.status : 'accepted';
    if (status === 'failed' || status === 'undelivered') {
      throw httpFailure('HttpStatus', `The SMS gateway reports the text to ${to} as ${status}.`, {
        retryable: false,
        status: answer.status,
        response: answer.excerpt,
        request: answer.recorded,
      });
    }
    return { messageId: sid, status, response: `${answer.status} ${status}`, segments };
  }
  const json = /json/i.test(gateway.contentType);
  const values = { to, from: gateway.fromNumber, body: message.body };
  let url = gateway.url;
  let body: string | null = fillTemplate(gateway.bodyTemplate, values, json);
  if (gateway.method === 'GET') {
    url = fillTemplate(gateway.url, values, false);
    body = null;
  }
  const answer = await httpCall({
    method: gateway.method,
    url,
    headers: [{ name: 'Content-Type', value: gateway.contentType }, ...(token ? [{ name: 'Authorization', value: token }] : [])],
    secretNames: new Set(['Authorization']),
    body,
    timeoutMs: TIMEOUT_MS,
  });
  if (answer.status < 200 || answer.status >= 300) refuse(answer, `the text to ${to}`);
  let id = `http-${answer.status}`;
  try {
    const parsed = JSON.parse(answer.text) as Record<string, unknown>;
    const found = parsed.id ?? parsed.sid ?? parsed.messageId;
    if (typeof found === 'string' || typeof found === 'number') id = String(found);
  } catch {
    /* a generic gateway may answer plain text: the status is the receipt */
  }
  return { messageId: id, status: 'accepted', response: `${answer.status} ${answer.excerpt}`.trim(), segments };
}

/** Inbound texts to our number since `sinceMs` (Twilio-compatible gateways; a generic gateway has no inbound API). */
export async function pollSms(gateway: SmsGatewayParams, sinceMs: number, secrets: SecretStore): Promise<InboundSms[]> {
  if (gateway.preset !== 'twilio') return [];
  const token = await authToken(gateway, secrets);
  const day = new Date(sinceMs).toISOString().slice(0, 10);
  const url = `${twilioBase(gateway)}/Messages.json?${new URLSearchParams({ To: gateway.fromNumber, 'DateSent>': day, PageSize: '100' })}`;
  const answer = await httpCall({
    method: 'GET',
    url,
    headers: token ? [{ name: 'Authorization', value: basicAuth(gateway.accountSid, token) }] : [],
    secretNames: new Set(['Authorization']),
    body: null,
    timeoutMs: TIMEOUT_MS,
  });
  if (answer.status !== 200) refuse(answer, 'the request for received texts');
  const body = parseJson(answer);
  const list = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  const out: InboundSms[] = [];
  for (const m of list) {
    if (typeof m.sid !== 'string' || typeof m.from !== 'string' || typeof m.body !== 'string') continue;
    if (typeof m.direction === 'string' && m.direction !== 'inbound') continue;
    const sentAt = typeof m.date_sent === 'string' ? m.date_sent : typeof m.date_created === 'string' ? m.date_created : '';
    const date = Date.parse(sentAt);
    if (!Number.isFinite(date) || date <= sinceMs) continue;
    out.push({ id: m.sid, from: m.from, to: typeof m.to === 'string' ? m.to : gateway.fromNumber, body: m.body, date });
  }
  return out.sort((a, b) => a.date - b.date);
}

/** "Test connection": reads the account (Twilio) or reaches the URL (generic) without sending a text. */
export async function verifySms(gateway: SmsGatewayParams, secrets: SecretStore): Promise<{ response: string }> {
  const token = await authToken(gateway, secrets);
  if (gateway.preset === 'twilio') {
    const answer = await httpCall({
      method: 'GET',
      url: `${twilioBase(gateway)}.json`,
      headers: token ? [{ name: 'Authorization', value: basicAuth(gateway.accountSid, token) }] : [],
      secretNames: new Set(['Authorization']),
      body: null,
      timeoutMs: TIMEOUT_MS,
    });
    if (answer.status !== 200) refuse(answer, 'the account check');
    const body = parseJson(answer);
    const name = typeof body.friendly_name === 'string' ? body.friendly_name : gateway.accountSid;
    const status = typeof body.status === 'string' ? body.status : 'unknown';
    return { response: `The gateway answered 200: account "${name}" is ${status}.` };
  }
  const answer = await httpCall({
    method: 'HEAD',
    url: gateway.url,
    headers: token ? [{ name: 'Authorization', value: token }] : [],
    secretNames: new Set(['Authorization']),
    body: null,
    timeoutMs: TIMEOUT_MS,
  });
  return {
    response: `The gateway answered ${answer.status}${answer.status < 400 ? ' (reachable).' : '; check the address and the token.'}`,
  };
}

/** Where a sent text is now: queued, sent, delivered, undelivered or failed (with the carrier's reason). */
export async function smsStatus(
  gateway: SmsGatewayParams,
  messageId: string,
  secrets: SecretStore,
): Promise<{ status: string; error: string | null }> {
  if (gateway.preset !== 'twilio') return { status: 'unknown', error: null };
  const token = await authToken(gateway, secrets);
  const answer = await httpCall({
    method: 'GET',
    url: `${twilioBase(gateway)}/Messages/${encodeURIComponent(messageId)}.json`,
    headers: token ? [{ name: 'Authorization', value: basicAuth(gateway.accountSid, token) }] : [],
    secretNames: new Set(['Authorization']),
    body: null,
    timeoutMs: TIMEOUT_MS,
  });
  if (answer.status !== 200) refuse(answer, 'the status request');
  const body = parseJson(answer);
  const status = typeof body.status === 'string' ? body.status : 'unknown';
  const code = typeof body.error_code === 'number' || typeof body.error_code === 'string' ? String(body.error_code) : null;
  const words = typeof body.error_message === 'string' ? body.error_message : null;
  return { status, error: code || words ? [code && `error ${code}`, words].filter(Boolean).join(': ') : null };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookResult } from '@shared/contract/host';
import { createHost, FileSecretStore } from '../../../src-main/host';
import type { Host, HostReply } from '../../../src-main/host';
import { MASK } from '../../../src-main/host/http-call';
import { json, startTestHttp } from './http-test-server';
import type { TestHttp } from './http-test-server';

let dataDir: string;
let http: TestHttp;
let host: Host;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'webhook-'));
  http = await startTestHttp();
  host = createHost({ dataDir, secrets: new FileSecretStore(dataDir), info: { shell: 'web', version: 't', testMode: false } });
});
afterEach(async () => {
  await host.close();
  await http.close();
  await rm(dataDir, { recursive: true, force: true });
});

let keys = 0;
const send = (patch: Record<string, unknown> = {}, timeoutMs = 2_000): Promise<HostReply> =>
  host.call('webhook.send', {
    request: {
      method: 'POST',
      url: `${http.url}/hooks/lead`,
      headers: [{ name: 'X-Source', value: 'action-plans' }],
      secretHeaders: [],
      payload: { firstName: 'Ann', email: 'ann@example.com' },
      ...patch,
    },
    timeoutMs,
    idempotencyKey: `hook-${++keys}`,
  });

const ok = (r: HostReply): WebhookResult => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as WebhookResult;
};
const failure = (r: HostReply) => {
  if (r.ok) throw new Error('expected the webhook to fail');
  return { ...r.error, details: r.error.details as Record<string, unknown> & { request: { headers: { name: string; value: string }[] } } };
};

describe('webhooks reach the endpoint and say what it answered', () => {
  it('a POST webhook sends the flat payload as JSON with its headers and records the answer', async () => {
    http.route = (_req, res) => json(res, 200, { received: true });
    const result = ok(await send());
    expect(http.received[0]?.method).toBe('POST');
    expect(JSON.parse(http.received[0]?.body ?? '')).toEqual({ firstName: 'Ann', email: 'ann@example.com' });
    expect(http.received[0]?.headers['x-source']).toBe('action-plans');
    expect(result.status).toBe(200);
    expect(result.responseExcerpt).toBe('{"received":true}');
    expect(result.request.body).toContain('ann@example.com');
  });

  it('a GET webhook puts the payload in the query string', async () => {
    ok(await send({ method: 'GET' }));
    expect(http.received[0]?.url).toBe('/hooks/lead?firstName=Ann&email=ann%40example.com');
    expect(http.received[0]?.body).toBe('');
  });

  it('a secret header reaches the endpoint but is masked in what is recorded', async () => {
    ok(await host.call('secrets.set', { name: 'webhook.x-api-key', value: 'sk_live_123' }));
    http.route = (_req, res) => json(res, 500, { error: 'boom' });
    const err = failure(
      await send({
        headers: [{ name: 'Authorization', value: 'Bearer abc' }],
        secretHeaders: [{ name: 'X-Api-Key', secret: 'webhook.x-api-key' }],
      }),
    );
    expect(http.received[0]?.headers['x-api-key']).toBe('sk_live_123');
    expect(http.received[0]?.headers.authorization).toBe('Bearer abc');
    const recorded = Object.fromEntries(err.details.request.headers.map((h) => [h.name, h.value]));
    expect(recorded['X-Api-Key']).toBe(MASK);
    expect(recorded.Authorization).toBe(MASK);
    expect(JSON.stringify(err)).not.toContain('sk_live_123');
  });

  it('a 4xx answer fails for good with the status and the response excerpt', async () => {
    http.route = (_req, res) => json(res, 404, { message: 'No such hook' });
    const err = failure(await send());
    expect(err.details).toMatchObject({
      deliveryCode: 'HttpStatus',
      status: 404,
      retryable: false,
      response: '{"message":"No such hook"}',
    });
    expect(err.message).toContain('answered 404');
  });

  it('a 5xx answer is retried later', async () => {
    http.route = (_req, res) => json(res, 503, { message: 'maintenance' });
    expect(failure(await send()).details).toMatchObject({ deliveryCode: 'HttpStatus', status: 503, retryable: true });
  });

  it('an endpoint that never answers times out and is retried later', async () => {
    http.route = () => undefined;
    const err = failure(await send({}, 300));
    expect(err.details).toMatchObject({ deliveryCode: 'HttpTimeout', retryable: true });
    expect(err.message).toContain('within 0.3 s');
  });

  it('a 200 with a malformed body still counts as delivered', async () => {
    http.route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    };
    expect(ok(await send()).responseExcerpt).toBe('{not json');
  });

  it('a redirect loop stops after a few hops and is reported, not followed forever', async () => {
    http.route = (req, res) => {
      res.writeHead(302, { location: req.url.startsWith('/a') ? '/b' : '/a' });
      res.end();
    };
    const err = failure(await send({ url: `${http.url}/a` }));
    expect(err.details).toMatchObject({ deliveryCode: 'HttpRedirectLoop', retryable: false });
    expect(http.received.length).toBeLessThanOrEqual(4);
  });

  it('a redirect to the new address is followed', async () => {
    http.route = (req, res) => {
      if (req.url.startsWith('/old')) {
        res.writeHead(307, { location: '/new' });
        res.end();
      } else json(res, 201, { ok: true });
    };
    const result = ok(await send({ url: `${http.url}/old` }));
    expect(result.status).toBe(201);
    expect(http.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /old', 'POST /new']);
  });

  it('an unreachable endpoint is reported in words and retried later', async () => {
    const gone = await startTestHttp();
    await gone.close();
    const err = failure(await send({ url: `${gone.url}/hook` }));
    expect(err.details).toMatchObject({ deliveryCode: 'HttpUnreachable', retryable: true });
    expect(err.message).toContain('connection refused');
  });

  it('the same webhook is never delivered twice', async () => {
    const params = {
      request: { method: 'POST' as const, url: `${http.url}/x`, headers: [], secretHeaders: [], payload: { a: '1' } },
      timeoutMs: 2_000,
      idempotencyKey: 'same-key',
    };
    ok(await host.call('webhook.send', params));
    const second = ok(await host.call('webhook.send', params));
    expect(second.duplicate).toBe(true);
    expect(http.received).toHaveLength(1);
  });
});

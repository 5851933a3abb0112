import { afterEach, describe, expect, it } from 'vitest';
import { json, startTestHttp } from '../main/http-test-server';
import type { TestHttp } from '../main/http-test-server';
import { aLead, startEngine } from './harness';
import type { TestEngine } from './harness';
import { startRealHost } from './real-host';
import type { RealHost } from './real-host';

let http: TestHttp | undefined;
let host: RealHost | undefined;
let t: TestEngine | undefined;
afterEach(async () => {
  t?.engine.close();
  await http?.close();
  await host?.close();
  t = http = host = undefined;
});

async function engineWithRealHost(): Promise<TestEngine> {
  host = await startRealHost();
  t = await startEngine({ host });
  return t;
}

const fields = { mode: 'fields' as const, fields: [{ key: 'name', value: '{{lead.fullName}}' }] };

describe('"Send test request" in the builder', () => {
  it('sends the step merged with the chosen lead and shows the status, time and body of the answer', async () => {
    http = await startTestHttp((_req, res) => json(res, 201, { received: true }));
    const t = await engineWithRealHost();
    const lead = await t.call('leads.create', aLead());
    const r = await t.call('plans.testWebhook', {
      method: 'POST',
      url: `${http.url}/zap`,
      headers: [{ name: 'X-Lead', value: '{{lead.email}}' }],
      payload: fields,
      leadId: lead.id,
    });
    expect(r).toMatchObject({ outcome: 'answered', status: 201, body: '{"received":true}', mergedWith: 'Ann Lee' });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(http.received[0]?.body ?? '')).toEqual({ name: 'Ann Lee' });
    expect(http.received[0]?.headers['x-lead']).toBe('ann@example.com');
  });

  it('is only a test: nothing reaches the outbox, the webhook monitor or the lead history', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, {}));
    const t = await engineWithRealHost();
    const lead = await t.call('leads.create', aLead());
    const historyBefore = await t.call('leads.history', { leadId: lead.id });
    const test = { method: 'POST' as const, url: `${http.url}/zap`, payload: fields, leadId: lead.id };
    await t.call('plans.testWebhook', test);
    await t.call('plans.testWebhook', test);
    expect(http.received).toHaveLength(2); // a test is sent each time it is pressed, never "already delivered"
    expect(await t.db.outbox.count()).toBe(0);
    expect(await t.call('outbox.deliveries', { channel: 'webhook' })).toEqual([]);
    expect(await t.call('leads.history', { leadId: lead.id })).toEqual(historyBefore);
  });

  it('without a lead it merges sample values', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, {}));
    const t = await engineWithRealHost();
    const r = await t.call('plans.testWebhook', { method: 'GET', url: `${http.url}/hook`, payload: fields });
    expect(r.mergedWith).toBe('sample values');
    expect(http.received[0]?.url).toBe('/hook?name=Sample+Lead');
  });

  it('an error status is shown as the server answered it, with the first 2 KB of the body', async () => {
    http = await startTestHttp((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Zap is off\n${'x'.repeat(5000)}`);
    });
    const t = await engineWithRealHost();
    const r = await t.call('plans.testWebhook', { method: 'POST', url: `${http.url}/zap`, payload: fields });
    expect(r).toMatchObject({ outcome: 'answered', status: 500, truncated: true });
    if (r.outcome !== 'answered') throw new Error('expected an answer');
    expect(r.body.startsWith('Zap is off\n')).toBe(true);
    expect(r.body).toHaveLength(2048);
  });

  it('a refused connection is reported in words, not thrown', async () => {
    const closed = await startTestHttp();
    await closed.close(); // nothing listens on its port any more
    const t = await engineWithRealHost();
    const r = await t.call('plans.testWebhook', { method: 'POST', url: `${closed.url}/zap`, payload: fields });
    expect(r).toMatchObject({ outcome: 'failed', code: 'HttpUnreachable' });
    if (r.outcome !== 'failed') throw new Error('expected a failure');
    expect(r.reason).toContain('connection refused');
  });

  it('an unknown merge field is refused with the field it is in', async () => {
    const t = await engineWithRealHost();
    await expect(
      t.call('plans.testWebhook', {
        method: 'POST',
        url: 'http://127.0.0.1:9/zap',
        payload: { mode: 'fields', fields: [{ key: 'x', value: '{{lead.nickname}}' }] },
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: { issues: [{ path: 'payload.fields.0.value' }] } });
  });
});

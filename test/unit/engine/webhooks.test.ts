import { afterEach, describe, expect, it } from 'vitest';
import type { PlanInput } from '@shared/model/plan';
import { json, startTestHttp } from '../main/http-test-server';
import type { TestHttp } from '../main/http-test-server';
import { aLead, aPlan, currentUserId, MINUTE, startEngine } from './harness';
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

const webhookStep = (url: string, patch: Record<string, unknown> = {}) => ({
  id: `hook-${Math.random().toString(36).slice(2)}`,
  kind: 'webhook' as const,
  method: 'POST' as const,
  url,
  headers: [],
  payload: {
    mode: 'fields' as const,
    fields: [
      { key: 'name', value: '{{lead.firstName}} {{lead.lastName}}' },
      { key: 'stage', value: '{{lead.stage}}' },
    ],
  },
  timing: { kind: 'immediate' as const },
  ...patch,
});

async function enrolled(steps: unknown[]) {
  http ??= await startTestHttp();
  host = await startRealHost();
  t = await startEngine({ host });
  const owner = await currentUserId(t);
  const lead = await t.call('leads.create', aLead());
  const plan = await t.call('plans.create', aPlan(owner, { steps: steps as PlanInput['steps'] }));
  await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
  return { t, lead, plan, host };
}

describe('webhook steps reach the endpoint', () => {
  it('a webhook step posts the merged payload and the monitor shows status, answer and timing', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, { ok: true }));
    const { t, lead } = await enrolled([webhookStep(`${http.url}/zap`)]);
    await t.tick();
    expect(JSON.parse(http.received[0]?.body ?? '')).toEqual({ name: 'Ann Lee', stage: 'New' });
    const monitor = await t.call('outbox.deliveries', { channel: 'webhook' });
    expect(monitor).toHaveLength(1);
    expect(monitor[0]).toMatchObject({ ok: true, status: 200, responseExcerpt: '{"ok":true}', leadName: 'Ann Lee' });
    expect(monitor[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.map((h) => h.summary)).toContain(`Sent webhook POST ${http.url}/zap`);
  });

  it('"send all fields" posts every lead field as flat keys', async () => {
    http = await startTestHttp();
    const { t } = await enrolled([webhookStep(`${http.url}/all`, { payload: { mode: 'allLeadFields' } })]);
    await t.tick();
    expect(JSON.parse(http.received[0]?.body ?? '')).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann@example.com',
      phone: '+14155550123',
    });
  });

  it('the default secret header reaches the endpoint but the monitor shows it masked', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, {}));
    const { t } = await enrolled([webhookStep(`${http.url}/h`)]);
    await t.call('settings.webhooks.save', { timeoutSeconds: 5, headers: [{ name: 'X-Api-Key', value: 'sk_live_999', secret: true }] });
    const saved = await t.call('settings.webhooks.get', {});
    expect(JSON.stringify(saved)).not.toContain('sk_live_999');
    await t.tick();
    expect(http.received[0]?.headers['x-api-key']).toBe('sk_live_999');
    const [attempt] = await t.call('outbox.deliveries', { channel: 'webhook' });
    expect(attempt?.request?.headers).toContainEqual({ name: 'X-Api-Key', value: '••••••' });
    expect(JSON.stringify(await t.db.deliveries.toArray())).not.toContain('sk_live_999');
  });
});

describe('a failing webhook tells the user what went wrong and where', () => {
  it('a 4xx fails for good: history note, desktop notification and a monitor entry with the request', async () => {
    http = await startTestHttp((_req, res) => json(res, 410, { error: 'hook deleted' }));
    const { t, lead, host } = await enrolled([webhookStep(`${http.url}/gone`)]);
    await t.tick();
    await t.tick();
    const history = await t.call('leads.history', { leadId: lead.id });
    const failed = history.find((h) => h.kind === 'failed');
    expect(failed?.summary).toContain(`Webhook POST ${http.url}/gone failed`);
    expect(failed?.summary).toContain('answered 410');
    expect(host.notifications).toEqual([
      expect.objectContaining({ title: 'Webhook failed', leadId: lead.id, body: expect.stringContaining('answered 410') as string }),
    ]);
    const [attempt] = await t.call('outbox.deliveries', { leadId: lead.id });
    expect(attempt).toMatchObject({ ok: false, status: 410, responseExcerpt: '{"error":"hook deleted"}', errorCode: 'HttpStatus' });
    expect(attempt?.request).toMatchObject({ method: 'POST', url: `${http.url}/gone`, body: '{"name":"Ann Lee","stage":"New"}' });
    expect(http.received).toHaveLength(1);
  });

  it('a 5xx is retried per the outbox policy and delivered once the endpoint recovers', async () => {
    let fail = true;
    http = await startTestHttp((_req, res) => (fail ? json(res, 502, { error: 'bad gateway' }) : json(res, 200, { ok: 1 })));
    const { t, lead, host } = await enrolled([webhookStep(`${http.url}/flaky`)]);
    await t.tick();
    await t.tick();
    const message = (await t.call('outbox.list', { leadId: lead.id })).find((m) => m.channel === 'webhook');
    expect(message?.status).toBe('queued');
    expect(host.notifications.map((n) => n.title)).toContain('Webhook not delivered yet');
    fail = false;
    await t.advance(5 * MINUTE);
    expect((await t.call('outbox.list', { leadId: lead.id })).find((m) => m.channel === 'webhook')?.status).toBe('sent');
    const attempts = await t.call('outbox.deliveries', { outboxId: message!.id });
    expect(attempts.map((a) => a.status)).toEqual([200, 502]);
  });

  it('an endpoint that does not answer in time is reported as a timeout with the time waited', async () => {
    http = await startTestHttp(() => undefined);
    const { t, lead } = await enrolled([webhookStep(`${http.url}/slow`)]);
    await t.call('settings.webhooks.save', { timeoutSeconds: 1, headers: [] });
    await t.tick();
    const [attempt] = await t.call('outbox.deliveries', { leadId: lead.id });
    expect(attempt).toMatchObject({ ok: false, errorCode: 'HttpTimeout', status: null });
    expect(attempt?.durationMs).toBeGreaterThanOrEqual(900);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'deliveryProblem')?.summary).toContain('No answer from');
  });

  it('a redirect loop is a failure for good, not an endless chase', async () => {
    http = await startTestHttp((req, res) => {
      res.writeHead(301, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const { t, lead } = await enrolled([webhookStep(`${http.url}/a`)]);
    await t.tick();
    const [message] = (await t.call('outbox.list', { leadId: lead.id })).filter((m) => m.channel === 'webhook');
    expect(message?.status).toBe('failed');
    expect(message?.lastError?.code).toBe('HttpRedirectLoop');
  });
});

describe('desktop notifications', () => {
  it('a step with "notify me" shows a notification about the lead when it runs', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, {}));
    const { t, lead, host } = await enrolled([webhookStep(`${http.url}/n`, { notifyMe: true, name: 'Tell Zapier' })]);
    await t.tick();
    await t.tick();
    expect(host.notifications).toEqual([
      { title: 'Ann Lee: "Tell Zapier" is on its way', body: 'Plan "Buyer follow-up"', leadId: lead.id },
    ]);
  });

  it('in web mode (no desktop notifications in the host) the notification goes to the open page', async () => {
    http = await startTestHttp((_req, res) => json(res, 500, {}));
    const { t, lead, host } = await enrolled([webhookStep(`${http.url}/n`)]);
    const shown: unknown[] = [];
    t.engine.deps.emit = (name, payload) => void (name === 'notification' && shown.push(payload));
    const call = host.call.bind(host);
    host.call = ((method: string, params: never) =>
      method === 'notify.show' ? Promise.resolve({ shown: false }) : call(method as never, params)) as typeof host.call;
    await t.tick();
    await t.tick();
    expect(shown).toEqual([expect.objectContaining({ title: 'Webhook not delivered yet', leadId: lead.id })]);
  });
});

describe('plans with channel steps are checked when saved', () => {
  it('a Ready plan with an empty text is refused with the step named', async () => {
    const t2 = await startEngine();
    const owner = await currentUserId(t2);
    const err = await t2
      .call(
        'plans.create',
        aPlan(owner, { steps: [{ id: 's1', kind: 'sms', body: ' ', timing: { kind: 'immediate' } }] as PlanInput['steps'] }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ValidationFailed',
      message: 'The plan cannot be saved: Step 1: a text needs a message before the plan can be Ready',
    });
    t2.engine.close();
  });
});

describe('"test connection" buttons answer in words', () => {
  it('"Send test webhook" reports the status, the time and the answer, with the default headers sent', async () => {
    http = await startTestHttp((_req, res) => json(res, 200, { ok: true }));
    host = await startRealHost();
    t = await startEngine({ host });
    await t.call('settings.webhooks.save', { timeoutSeconds: 5, headers: [{ name: 'X-Team', value: 'lakeside', secret: false }] });
    const { response } = await t.call('settings.webhooks.test', { url: `${http.url}/test` });
    expect(response).toMatch(/^The endpoint answered 200 in \d+ ms: \{"ok":true\}$/);
    expect(http.received[0]?.headers['x-team']).toBe('lakeside');
  });

  it('"Test SMS connection" says which account the Twilio-compatible gateway reported', async () => {
    http = await startTestHttp((req, res) =>
      req.url === '/2010-04-01/Accounts/AC1.json'
        ? json(res, 200, { friendly_name: 'Lakeside Realty', status: 'active' })
        : json(res, 404, {}),
    );
    host = await startRealHost();
    t = await startEngine({ host });
    await t.call('settings.sms.save', {
      preset: 'twilio',
      accountSid: 'AC1',
      fromNumber: '+14155550100',
      baseUrl: http.url,
      authToken: 'tok',
    });
    expect(await t.call('settings.sms.test', {})).toEqual({ response: 'The gateway answered 200: account "Lakeside Realty" is active.' });
    expect(JSON.stringify(await t.db.settings.toArray())).not.toContain('"tok"');
  });

  it('a wrong SMS token is reported with the gateway’s own words', async () => {
    http = await startTestHttp((_req, res) => json(res, 401, { code: 20003, message: 'Authenticate' }));
    host = await startRealHost();
    t = await startEngine({ host });
    await t.call('settings.sms.save', {
      preset: 'twilio',
      accountSid: 'AC1',
      fromNumber: '+14155550100',
      baseUrl: http.url,
      authToken: 'bad',
    });
    await expect(t.call('settings.sms.test', {})).rejects.toMatchObject({
      message: 'The SMS gateway refused the account check (401: Authenticate).',
    });
  });
});

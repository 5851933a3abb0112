import { afterEach, describe, expect, it } from 'vitest';
import type { PlanInput } from '@shared/model/plan';
import { json, startTestHttp } from '../main/http-test-server';
import type { TestHttp } from '../main/http-test-server';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { aLead, aPlan, currentUserId, emailStep, HOUR, MINUTE, startEngine } from './harness';
import type { TestEngine } from './harness';
import { startRealHost } from './real-host';
import type { RealHost } from './real-host';

let smtp: TestSmtp | undefined;
let http: TestHttp | undefined;
let host: RealHost | undefined;
let t: TestEngine | undefined;
afterEach(async () => {
  t?.engine.close();
  await smtp?.close();
  await http?.close();
  await host?.close();
  t = smtp = http = host = undefined;
});

describe('offline: queued messages wait and go out once, in order, when the mail server is back', () => {
  it('with the SMTP server stopped nothing is lost; when it returns each message is delivered once, oldest first', async () => {
    smtp = await startTestSmtp();
    const port = smtp.port;
    await smtp.close();
    host = await startRealHost();
    t = await startEngine({ host, emailAccount: false });
    await t.call('settings.emailAccount.save', {
      host: '127.0.0.1',
      port,
      security: 'none',
      user: '',
      fromName: 'Jane',
      fromEmail: 'jane@realty.example',
    });
    const owner = await currentUserId(t);
    const plan = await t.call(
      'plans.create',
      aPlan(owner, { steps: [emailStep({ subject: 'Hello {{lead.firstName}}' })] as PlanInput['steps'] }),
    );
    for (const name of ['Ann', 'Bob', 'Cy']) {
      const lead = await t.call('leads.create', aLead({ firstName: name, email: `${name.toLowerCase()}@example.com` }));
      await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
      await t.advance(MINUTE);
    }
    // Several hours offline: every attempt fails, nothing is given up.
    for (let i = 0; i < 12; i++) await t.advance(HOUR);
    const waiting = await t.call('outbox.list', {});
    expect(waiting.map((m) => m.status)).toEqual(['queued', 'queued', 'queued']);
    expect(waiting.every((m) => m.lastError?.code === 'SmtpUnreachable')).toBe(true);

    smtp = await startTestSmtp({ port });
    await t.advance(2 * HOUR);
    await t.advance(2 * HOUR);
    expect(smtp.received.map((r) => r.rcptTo[0])).toEqual(['ann@example.com', 'bob@example.com', 'cy@example.com']);
    expect((await t.call('outbox.list', {})).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('when the app cannot reach its own host (offline), messages wait and are sent once it is back', async () => {
    smtp = await startTestSmtp();
    host = await startRealHost();
    t = await startEngine({ host, emailAccount: false });
    await t.call('settings.emailAccount.save', {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: '',
      fromName: 'Jane',
      fromEmail: 'jane@realty.example',
    });
    const owner = await currentUserId(t);
    const plan = await t.call('plans.create', aPlan(owner, { steps: [emailStep()] as PlanInput['steps'] }));
    const lead = await t.call('leads.create', aLead());
    host.offline = true;
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    expect((await t.call('outbox.list', {}))[0]?.status).toBe('queued');
    host.offline = false;
    await t.advance(HOUR);
    await t.advance(HOUR);
    expect(smtp.received).toHaveLength(1);
  });
});

describe('text messages go out through the SMS gateway and replies come back', () => {
  const smsStep = (body: string) => ({
    id: `sms-${Math.random().toString(36).slice(2)}`,
    kind: 'sms' as const,
    body,
    timing: { kind: 'immediate' as const },
  });

  async function twilioLike(inbound: { sid: string; from: string; body: string; date: string }[], delivery?: Record<string, unknown>) {
    http = await startTestHttp((req, res) => {
      if (req.method === 'POST') json(res, 201, { sid: `SM${http!.received.length}`, status: 'queued' });
      else if (/\/Messages\/SM\d+\.json$/.test(req.url)) json(res, 200, delivery ?? { status: 'sent' });
      else json(res, 200, { messages: inbound.map((m) => ({ ...m, to: '+14155550100', direction: 'inbound', date_sent: m.date })) });
    });
    host = await startRealHost();
    t = await startEngine({ host });
    await t.call('settings.sms.save', {
      preset: 'twilio',
      accountSid: 'AC1',
      fromNumber: '+14155550100',
      baseUrl: http.url,
      authToken: 'tok',
    });
    const owner = await currentUserId(t);
    const lead = await t.call('leads.create', aLead());
    const later = { ...smsStep('Still looking?'), timing: { kind: 'after' as const, amount: 2, unit: 'days' as const } };
    const plan = await t.call(
      'plans.create',
      aPlan(owner, { steps: [smsStep('Hi {{lead.firstName}}, it is Jane.'), later] as PlanInput['steps'] }),
    );
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.call('replies.checkNow', {});
    await t.tick();
    return { t, lead };
  }

  it('an SMS step sends the merged text to the lead and records the gateway id and parts', async () => {
    const { t, lead } = await twilioLike([]);
    const form = new URLSearchParams(http!.received.find((r) => r.method === 'POST')?.body);
    expect(form.get('To')).toBe('+14155550123');
    expect(form.get('Body')).toBe('Hi Ann, it is Jane.');
    const sms = (await t.call('outbox.list', { leadId: lead.id })).find((m) => m.channel === 'sms');
    expect(sms).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^SM/) as string });
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'queued')?.summary).toBe('Text to +14155550123 queued (1 part, GSM-7)');
  });

  it('STOP by text opts the lead out of SMS', async () => {
    const { t, lead } = await twilioLike([
      { sid: 'SMin1', from: '+14155550123', body: 'STOP', date: new Date(Date.UTC(2026, 3, 14, 15)).toUTCString() },
    ]);
    await t.call('replies.checkNow', {});
    expect((await t.call('leads.get', { id: lead.id })).optOuts).toEqual({ email: false, sms: true });
  });

  it('a text reply pauses the plan', async () => {
    const { t, lead } = await twilioLike([
      { sid: 'SMin2', from: '+14155550123', body: 'Sure, call me', date: new Date(Date.UTC(2026, 3, 14, 15)).toUTCString() },
    ]);
    expect(await t.call('replies.checkNow', {})).toMatchObject({ replies: 1 });
    expect((await t.call('enrollments.forLead', { leadId: lead.id }))[0]).toMatchObject({ state: 'paused', engaged: true });
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.find((h) => h.kind === 'note')?.summary).toBe('Ann Lee wrote: Text "Sure, call me"');
    expect(history.find((h) => h.kind === 'replied')?.summary).toBe('The lead replied by text');
  });

  it('the gateway reporting a text undelivered shows in history with the carrier reason, once', async () => {
    const { t, lead } = await twilioLike([], {
      status: 'undelivered',
      error_code: 30003,
      error_message: 'Unreachable destination handset',
    });
    await t.call('replies.checkNow', {});
    await t.call('replies.checkNow', {});
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.filter((h) => h.kind === 'failed').map((h) => h.summary)).toEqual([
      'Text to +14155550123 was not delivered (undelivered, error 30003: Unreachable destination handset)',
    ]);
    await t.tick();
    expect(host!.notifications.map((n) => n.title)).toContain('Text message not delivered');
  });

  it('a delivered text is noted in history', async () => {
    const { t, lead } = await twilioLike([], { status: 'delivered' });
    await t.call('replies.checkNow', {});
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.map((h) => h.summary)).toContain('Text to +14155550123 delivered');
  });
});

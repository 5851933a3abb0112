import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsReceipt } from '@shared/contract/host';
import type { InboundSms } from '@shared/model/channels';
import { smsSegments } from '@shared/sms-segments';
import { createHost, FileSecretStore } from '../../../src-main/host';
import type { Host, HostReply } from '../../../src-main/host';
import { json, startTestHttp } from './http-test-server';
import type { TestHttp } from './http-test-server';

let dataDir: string;
let gatewayServer: TestHttp;
let host: Host;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-'));
  gatewayServer = await startTestHttp();
  host = createHost({ dataDir, secrets: new FileSecretStore(dataDir), info: { shell: 'web', version: 't', testMode: false } });
  await host.call('secrets.set', { name: 'sms-token', value: 'tok_secret' });
});
afterEach(async () => {
  await host.close();
  await gatewayServer.close();
  await rm(dataDir, { recursive: true, force: true });
});

const twilio = () => ({
  preset: 'twilio' as const,
  accountSid: 'AC123',
  fromNumber: '+14155550100',
  baseUrl: gatewayServer.url,
  authTokenSecret: 'sms-token',
});
const ok = <T>(r: HostReply): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
};
let n = 0;
const send = (to = '+14155550123', body = 'Hi Ann', gateway: Record<string, unknown> = twilio()) =>
  host.call('sms.send', { gateway, message: { to, body }, idempotencyKey: `sms-${++n}` });

describe('texts go out through a Twilio-compatible gateway', () => {
  it('posts To/From/Body with basic auth to the Messages API and keeps the message id and status', async () => {
    gatewayServer.route = (_req, res) => json(res, 201, { sid: 'SM1', status: 'queued' });
    const receipt = ok<SmsReceipt>(await send());
    const req = gatewayServer.received[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({ To: '+14155550123', From: '+14155550100', Body: 'Hi Ann' });
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('AC123:tok_secret').toString('base64')}`);
    expect(receipt).toMatchObject({ messageId: 'SM1', status: 'queued', segments: 1, duplicate: false });
  });

  it('a number that is not a real E.164 number is refused before anything is sent', async () => {
    const r = await send('+1415');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.details).toMatchObject({ deliveryCode: 'PhoneInvalid', retryable: false });
    expect(gatewayServer.received).toHaveLength(0);
  });

  it("the gateway's refusal is reported in its own words", async () => {
    gatewayServer.route = (_req, res) => json(res, 400, { code: 21211, message: "The 'To' number is not a valid phone number." });
    const r = await send();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain("The 'To' number is not a valid phone number.");
      expect(r.error.details).toMatchObject({ status: 400, retryable: false });
    }
  });

  it('a malformed answer from the gateway is reported and retried later', async () => {
    gatewayServer.route = (_req, res) => {
      res.writeHead(201);
      res.end('<html>proxy</html>');
    };
    const r = await send();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.details).toMatchObject({ deliveryCode: 'HttpBadAnswer', retryable: true });
  });

  it('the same text is never sent twice', async () => {
    gatewayServer.route = (_req, res) => json(res, 201, { sid: 'SM9', status: 'sent' });
    const params = { gateway: twilio(), message: { to: '+14155550123', body: 'once' }, idempotencyKey: 'k1' };
    ok(await host.call('sms.send', params));
    expect(ok<SmsReceipt>(await host.call('sms.send', params)).duplicate).toBe(true);
    expect(gatewayServer.received).toHaveLength(1);
  });

  it('inbound texts to our number are read back, newest after the given time only', async () => {
    gatewayServer.route = (_req, res) =>
      json(res, 200, {
        messages: [
          {
            sid: 'SMa',
            from: '+14155550123',
            to: '+14155550100',
            body: 'STOP',
            direction: 'inbound',
            date_sent: 'Tue, 14 Apr 2026 14:05:00 +0000',
          },
          {
            sid: 'SMb',
            from: '+14155550100',
            to: '+14155550123',
            body: 'Hi',
            direction: 'outbound-api',
            date_sent: 'Tue, 14 Apr 2026 14:06:00 +0000',
          },
          {
            sid: 'SMc',
            from: '+14155550123',
            to: '+14155550100',
            body: 'old',
            direction: 'inbound',
            date_sent: 'Tue, 14 Apr 2026 13:00:00 +0000',
          },
        ],
      });
    const { messages } = ok<{ messages: InboundSms[] }>(
      await host.call('sms.poll', { gateway: twilio(), sinceMs: Date.UTC(2026, 3, 14, 14, 0) }),
    );
    expect(messages.map((m) => m.body)).toEqual(['STOP']);
    expect(gatewayServer.received[0]?.url).toContain('To=%2B14155550100');
  });
});

describe('a generic gateway takes a body template', () => {
  it('fills {{to}} and {{body}} JSON-safely and sends the token as Authorization', async () => {
    gatewayServer.route = (_req, res) => json(res, 200, { id: 42 });
    const gateway = {
      preset: 'generic' as const,
      url: `${gatewayServer.url}/send`,
      method: 'POST' as const,
      bodyTemplate: '{"number":"{{to}}","text":"{{body}}"}',
      contentType: 'application/json',
      fromNumber: '+14155550100',
      authTokenSecret: 'sms-token',
    };
    const receipt = ok<SmsReceipt>(await send('+14155550123', 'He said "hi"\nbye', gateway));
    expect(JSON.parse(gatewayServer.received[0]?.body ?? '')).toEqual({ number: '+14155550123', text: 'He said "hi"\nbye' });
    expect(gatewayServer.received[0]?.headers.authorization).toBe('tok_secret');
    expect(receipt.messageId).toBe('42');
  });
});

describe('segment count', () => {
  it('a plain text of 160 characters is one part; 161 are two', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
  });
  it('one emoji turns the text into UCS-2 with 70 characters per part', () => {
    expect(smsSegments(`${'a'.repeat(68)}🙂`)).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(`${'a'.repeat(69)}🙂`).segments).toBe(2);
  });
  it('the euro sign counts twice in GSM-7', () => {
    expect(smsSegments('€').units).toBe(2);
  });
});

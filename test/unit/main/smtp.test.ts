import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/rpc/errors';
import { messageIdFor, sendEmail, verifyAccount } from '../../../src-main/host/smtp';
import type { SecretStore } from '../../../src-main/host';
import { accountFor, message, startTestSmtp } from './smtp-test-server';
import type { TestSmtp } from './smtp-test-server';

const secrets = (values: Record<string, string> = {}): SecretStore => ({
  get: (name) => Promise.resolve(values[name] ?? null),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(false),
});

/** The AppError a failed send throws (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The header block of a raw message, folded lines joined, one header per entry. */
function headerLines(raw: string): string[] {
  const head = raw.split('\r\n\r\n')[0] ?? '';
  return head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

let smtp: TestSmtp | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const address = s.address();
  await new Promise((done) => s.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

describe("sending email through the user's SMTP server", () => {
  it('delivers the message to the lead with subject, html and plain-text parts', async () => {
    smtp = await startTestSmtp();
    const sent = await sendEmail(accountFor(smtp.port), message, 'enr-1:0:step-1', secrets());

    expect(smtp.received).toHaveLength(1);
    const [received] = smtp.received;
    expect(received!.rcptTo).toEqual(['lead@buyer.example']);
    expect(received!.mailFrom).toBe('dana@realty.example');
    const parsed = await simpleParser(received!.raw);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Dana Agent', address: 'dana@realty.example' }]);
    expect(parsed.html).toContain('<b>Pat</b>');
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(sent.response).toMatch(/^250/);
  });

  it('gives each message a Message-ID that follows from its idempotency key', async () => {
    smtp = await startTestSmtp();
    const sent = await sendEmail(accountFor(smtp.port), message, 'enr-1:0:step-1', secrets());

    const parsed = await simpleParser(smtp.received[0]!.raw);
    expect(sent.messageId).toBe(messageIdFor('enr-1:0:step-1', 'dana@realty.example'));
    expect(parsed.messageId).toBe(sent.messageId);
    expect(sent.messageId).toMatch(/^<[0-9a-f]{32}@realty\.example>$/);
    expect(messageIdFor('enr-1:1:step-1', 'dana@realty.example')).not.toBe(sent.messageId);
  });

  it("a newline in a lead's name or a subject never creates a header", async () => {
    smtp = await startTestSmtp();
    const attack = {
      ...message,
      subject: 'Hello\r\nBcc: x@y.example',
      toName: 'Pat\nBcc: x@y.example',
    };
    await sendEmail(accountFor(smtp.port, { fromName: 'Dana\r\nBcc: x@y.example' }), attack, 'k-inject', secrets());

    const [received] = smtp.received;
    expect(received!.rcptTo).toEqual(['lead@buyer.example']);
    const headers = headerLines(received!.raw);
    expect(headers.filter((h) => /^bcc:/i.test(h))).toEqual([]);
    expect(headers.filter((h) => /^subject:/i.test(h))).toHaveLength(1);
    const parsed = await simpleParser(received!.raw);
    expect(parsed.subject).toBe('Hello Bcc: x@y.example');
    expect(parsed.bcc).toBeUndefined();
  });
});

describe('a failed send tells the user what went wrong and whether it is retried', () => {
  it("a wrong password is an authentication failure, kept for retry, with the server's words", async () => {
    smtp = await startTestSmtp({ users: { dana: 'right' } });
    const account = accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' });

    const err = await failure(sendEmail(account, message, 'k1', secrets({ 'smtp.dana': 'wrong' })));
    expect(err.code).toBe('DeliveryFailed');
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpAuthFailed', retryable: true, responseCode: 535 });
    expect(err.details?.response).toContain('Invalid username or password');
    expect(err.message).toContain(`127.0.0.1:${smtp.port}`);
    expect(err.message).toContain('Re-enter the password in Settings');
    expect(smtp.received).toHaveLength(0);
  });

  it('the right password sends', async () => {
    smtp = await startTestSmtp({ users: { dana: 'right' } });
    const account = accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' });
    await sendEmail(account, message, 'k1', secrets({ 'smtp.dana': 'right' }));
    expect(smtp.received).toHaveLength(1);
  });

  it('a missing stored password asks the user to re-enter it, without connecting', async () => {
    const account = accountFor(1, { user: 'dana', passwordSecret: 'smtp.dana' });
    const err = await failure(sendEmail(account, message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SecretMissing', retryable: true });
    expect(err.message).toContain('Re-enter the password in Settings');
  });

  it('a recipient the server refuses with 550 is not retried', async () => {
    smtp = await startTestSmtp({ refuseRecipient: () => 550 });
    const err = await failure(sendEmail(accountFor(smtp.port), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpRecipientRefused', retryable: false, responseCode: 550 });
    expect(err.message).toContain('lead@buyer.example');
    expect(err.message).toContain('will not be retried');
  });

  it('a temporary refusal (4xx) is retried', async () => {
    smtp = await startTestSmtp({ refuseRecipient: () => 450 });
    const err = await failure(sendEmail(accountFor(smtp.port), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpRejected', retryable: true, responseCode: 450 });
  });

  it('a server that is not running is unreachable, and the message is kept', async () => {
    const port = await freePort();
    const err = await failure(sendEmail(accountFor(port), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpUnreachable', retryable: true });
    expect(err.message).toBe(
      `Could not reach the mail server 127.0.0.1:${port} (connection refused). The message is kept and will be retried.`,
    );
  });

  it('a server that never answers times out, and the message is kept', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const timeouts = { connectionMs: 300, greetingMs: 300, socketMs: 300 };
    const err = await failure(sendEmail(accountFor(port), message, 'k1', secrets(), timeouts));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpTimeout', retryable: true });
    expect(err.message).toContain('did not answer in time');
  });

  it('an untrusted certificate on STARTTLS is a TLS problem, not a lost message', async () => {
    smtp = await startTestSmtp({ starttls: true });
    const err = await failure(sendEmail(accountFor(smtp.port, { security: 'starttls' }), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpTls', retryable: true });
    expect(err.message).toContain('security setting');
    expect(smtp.received).toHaveLength(0);
  });

  it('STARTTLS required but not offered is a TLS problem', async () => {
    smtp = await startTestSmtp();
    const err = await failure(sendEmail(accountFor(smtp.port, { security: 'starttls' }), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpTls', retryable: true });
  });

  it('implicit TLS against a plain-text port is a TLS problem', async () => {
    smtp = await startTestSmtp();
    const err = await failure(sendEmail(accountFor(smtp.port, { security: 'tls' }), message, 'k1', secrets()));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpTls', retryable: true });
  });
});

describe('testing the connection from Settings', () => {
  it("answers with the server's own words after logging in", async () => {
    smtp = await startTestSmtp({ users: { dana: 'right' } });
    const account = accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' });
    const { response } = await verifyAccount(account, secrets({ 'smtp.dana': 'right' }));
    expect(response).toMatch(/^235 /);
    expect(smtp.received).toHaveLength(0);
  });

  it('answers with the greeting when no login is configured', async () => {
    smtp = await startTestSmtp();
    const { response } = await verifyAccount(accountFor(smtp.port), secrets());
    expect(response).toMatch(/^220 /);
  });

  it('reports a wrong password the same way a send does', async () => {
    smtp = await startTestSmtp({ users: { dana: 'right' } });
    const account = accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' });
    const err = await failure(verifyAccount(account, secrets({ 'smtp.dana': 'nope' })));
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpAuthFailed' });
  });
});

import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/rpc/errors';
import type { SecretStore } from '../../../src-main/host';
import { sendEmail } from '../../../src-main/host/smtp';
import { accountFor, message, startTestSmtp } from './smtp-test-server';
import type { TestSmtp } from './smtp-test-server';

const noSecrets: SecretStore = { get: () => Promise.resolve(null), set: () => Promise.resolve(), delete: () => Promise.resolve(false) };
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('plan emails carry what mail programs expect', () => {
  it('every email offers a one-click unsubscribe by mail to the sender', async () => {
    smtp = await startTestSmtp();
    await sendEmail(accountFor(smtp.port), message, 'k-unsub', noSecrets);
    const parsed = await simpleParser(smtp.received[0]?.raw ?? '');
    expect(parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r\n\s+/g, ' ')).toBe(
      'List-Unsubscribe: <mailto:dana@realty.example?subject=unsubscribe> (Unsubscribe)',
    );
  });

  it('a connection dropped in the middle of sending is a network problem: the message is kept for retry', async () => {
    smtp = await startTestSmtp({ dropMidSend: () => true });
    const err = await sendEmail(accountFor(smtp.port), message, 'k-drop', noSecrets).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toMatchObject({ retryable: true });
    expect(smtp.received).toHaveLength(0);
  });
});

describe('per-user sender', () => {
  it("a team member's name shows in From (the mailbox address stays) and replies go to them", async () => {
    smtp = await startTestSmtp();
    await sendEmail(
      accountFor(smtp.port),
      { ...message, fromName: 'Bob\r\nBcc: x@evil.example', replyTo: 'bob@realty.example' },
      'k-from',
      noSecrets,
    );
    const parsed = await simpleParser(smtp.received[0]?.raw ?? '');
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Bob Bcc: x@evil.example', address: 'dana@realty.example' });
    expect(parsed.replyTo?.value[0]?.address).toBe('bob@realty.example');
    expect(parsed.bcc).toBeUndefined();
  });
});

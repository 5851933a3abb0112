import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/rpc/errors';
import { sendEmail } from '../../../src-main/host/smtp';
import type { SecretStore } from '../../../src-main/host';
import { accountFor, message, startTestSmtp } from './smtp-test-server';
import type { TestSmtp } from './smtp-test-server';

const secrets: SecretStore = { get: () => Promise.resolve(null), set: () => Promise.resolve(), delete: () => Promise.resolve(false) };

async function refusal(smtp: TestSmtp): Promise<AppError> {
  const err = await sendEmail(accountFor(smtp.port), message, `k-${Math.random()}`, secrets).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('a mail server that holds the mailbox back', () => {
  it.each([
    [421, '4.7.0 Too many messages, slow down'],
    [450, '4.7.1 Rate limited, try again later'],
    [451, 'Temporary local problem, try later'],
    [452, '4.5.3 Too many recipients this hour'],
  ])('a %i answer is reported as throttling, with the server’s own words', async (code, words) => {
    smtp = await startTestSmtp({ refuseMail: () => ({ code, message: words }) });
    const err = await refusal(smtp);
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpThrottled', retryable: true, responseCode: code });
    expect(String(err.details?.response)).toContain(words);
    expect(err.message).toContain('pauses until the provider allows it again');
  });

  it("Google's 5.4.5 daily quota and Microsoft's 5.2.2 submission quota are reported as throttling, not as a bad message", async () => {
    for (const [code, words] of [
      [550, '5.4.5 Daily user sending quota exceeded.'],
      [554, '5.2.2 mailbox full; STOREDRV.Submission.Exception:SubmissionQuotaExceededException'],
    ] as const) {
      smtp = await startTestSmtp({ refuseMail: () => ({ code, message: words }) });
      const err = await refusal(smtp);
      expect(err.details).toMatchObject({ deliveryCode: 'SmtpThrottled', retryable: true });
      expect(String(err.details?.response)).toContain(words);
      await smtp.close();
      smtp = undefined;
    }
  });

  it('a 450 about one recipient (greylisting) holds back that message only, not the mailbox', async () => {
    smtp = await startTestSmtp({ refuseRecipient: () => 450 });
    const err = await refusal(smtp);
    expect(err.details).toMatchObject({ deliveryCode: 'SmtpRejected', retryable: true, responseCode: 450 });
  });

  it('a full recipient mailbox (5.2.2 without a submission quota) is still the recipient’s problem', async () => {
    smtp = await startTestSmtp({ refuseMail: () => ({ code: 552, message: '5.2.2 Mailbox full' }) });
    const err = await refusal(smtp);
    expect(err.details?.deliveryCode).not.toBe('SmtpThrottled');
  });
});

import { z } from 'zod';
import type { EmailAccount } from '../model/email-account';
import { emailAccountInputSchema } from '../model/email-account';
import type { SendPolicy } from '../model/send-policy';
import { sendPolicySchema } from '../model/send-policy';
import type { SmsLimits } from '../model/send-limits';
import { smsLimitsSchema } from '../model/send-limits';
import { method } from '../rpc/spec';

export interface TestEmailResult {
  /** The server's final answer, in its own words (e.g. "250 2.0.0 Ok: queued as 4F2A"). */
  response: string;
  messageId: string;
}

export interface SendingState {
  paused: boolean;
}

export const settingsContract = {
  'settings.emailAccount.get': method<EmailAccount | null>()(z.object({})),
  'settings.emailAccount.save': method<EmailAccount>()(emailAccountInputSchema),
  'settings.emailAccount.sendTest': method<TestEmailResult>()(z.object({ to: z.email('Enter a valid address to send the test to') })),
  'settings.smsLimits.get': method<SmsLimits>()(z.object({})),
  'settings.smsLimits.save': method<SmsLimits>()(smsLimitsSchema),
  'settings.sending.get': method<SendingState>()(z.object({})),
  'settings.sending.set': method<SendingState>()(z.object({ paused: z.boolean() })),
  /** Quiet hours per channel and the per-lead daily cap (DESIGN §5). */
  'settings.sendPolicy.get': method<SendPolicy>()(z.object({})),
  'settings.sendPolicy.set': method<SendPolicy>()(sendPolicySchema),
};

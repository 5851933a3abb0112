import { z } from 'zod';
import { smtpSecuritySchema } from '../model/email-account';
import { method } from '../rpc/spec';
import type { ParamsOf, ResultOf } from '../rpc/spec';

/**
 * What the engine asks of the host (Electron main or the web host): the things that need Node.
 * The host receives these from a renderer, so it validates every call with these schemas.
 */
export const smtpAccountSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  security: smtpSecuritySchema,
  user: z.string(),
  fromName: z.string(),
  fromEmail: z.string(),
  passwordSecret: z.string().nullable(),
});
export type SmtpAccount = z.infer<typeof smtpAccountSchema>;

export const emailMessageSchema = z.object({
  to: z.string().min(1),
  toName: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});

export interface SendReceipt {
  messageId: string;
  response: string;
  /** True when this idempotency key was already sent: nothing went out this time. */
  duplicate: boolean;
}

export interface HostInfo {
  shell: 'desktop' | 'web';
  version: string;
  /** Only when the host was started with the test flag: the engine's clock follows the host's test clock. */
  testMode: boolean;
}

export const hostContract = {
  'host.info': method<HostInfo>()(z.object({})),
  'email.send': method<SendReceipt>()(
    z.object({ account: smtpAccountSchema, message: emailMessageSchema, idempotencyKey: z.string().min(1) }),
  ),
  'email.verify': method<{ response: string }>()(z.object({ account: smtpAccountSchema })),
  'secrets.set': method<{ name: string }>()(z.object({ name: z.string().regex(/^[\w.-]+$/), value: z.string() })),
  'secrets.delete': method<{ deleted: boolean }>()(z.object({ name: z.string().regex(/^[\w.-]+$/) })),
  /** Test mode only: the offset the test clock has been advanced by. */
  'clock.offset': method<{ offsetMs: number }>()(z.object({})),
};
export type HostContract = typeof hostContract;
export type HostMethod = keyof HostContract;

/** How the engine reaches its host: HTTP in web mode, IPC in the desktop app. */
export interface HostTransport {
  call<K extends HostMethod>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>>;
}

/** Error codes a delivery can fail with; `retryable` says whether the outbox tries again. */
export type DeliveryErrorCode =
  | 'SmtpUnreachable'
  | 'SmtpAuthFailed'
  | 'SmtpRecipientRefused'
  | 'SmtpRejected'
  | 'SmtpTimeout'
  | 'SmtpTls'
  | 'SmtpThrottled'
  | 'SecretMissing';

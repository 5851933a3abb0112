import { z } from 'zod';
import type { InboundEmail, InboundSms, RecordedRequest } from '../model/channels';
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
  fromName: z.string().optional(),
  replyTo: z.string().optional(),
});

export const imapAccountSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  user: z.string().min(1),
  folder: z.string().min(1),
  passwordSecret: z.string().nullable(),
});
export type ImapAccountParams = z.infer<typeof imapAccountSchema>;

export const smsGatewaySchema = z.discriminatedUnion('preset', [
  z.object({
    preset: z.literal('twilio'),
    accountSid: z.string().min(1),
    fromNumber: z.string().min(1),
    baseUrl: z.string().min(1),
    authTokenSecret: z.string().nullable(),
  }),
  z.object({
    preset: z.literal('generic'),
    url: z.string().min(1),
    method: z.enum(['POST', 'PUT', 'GET']),
    bodyTemplate: z.string(),
    contentType: z.string().min(1),
    fromNumber: z.string().min(1),
    authTokenSecret: z.string().nullable(),
  }),
]);

const headerLine = z.string().refine((v) => !/[\r\n]/.test(v), 'A header must be on one line');

export const webhookRequestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT']),
  url: z.string().min(1),
  headers: z.array(z.object({ name: z.string().min(1), value: headerLine })),
  /** Headers whose value the host reads from its secret store; they are masked in what is recorded. */
  secretHeaders: z.array(z.object({ name: z.string().min(1), secret: z.string().min(1) })).default([]),
  payload: z.record(z.string(), z.string()),
});

/** What a webhook's server answered (any status: the engine decides what counts as failed). */
export interface WebhookResult {
  status: number;
  responseExcerpt: string;
  durationMs: number;
  request: RecordedRequest;
  /** True when this idempotency key was already delivered: nothing went out this time. */
  duplicate: boolean;
}

/** A test request's answer, whatever its status: the builder shows it as it came. */
export interface WebhookTestAnswer {
  status: number;
  /** The start of the body as received (at most WEBHOOK_TEST_BODY_CHARS characters). */
  body: string;
  truncated: boolean;
  durationMs: number;
  request: RecordedRequest;
}

/** How much of a test answer the builder shows: enough to read a JSON reply or an error page's message. */
export const WEBHOOK_TEST_BODY_CHARS = 2048;

export interface SmsReceipt {
  messageId: string;
  /** The gateway's status for the message (e.g. "queued", "sent"). */
  status: string;
  response: string;
  segments: number;
  duplicate: boolean;
}

export interface ImapFetchResult {
  uidValidity: number;
  /** The highest UID seen; pass it back as `sinceUid` next time. */
  lastUid: number;
  messages: InboundEmail[];
  /** Whether the server offered IDLE (then the host waited for new mail instead of returning at once). */
  idle: boolean;
}

export interface SendReceipt {
  messageId: string;
  response: string;
  /** True when this idempotency key was already sent: nothing went out this time. */
  duplicate: boolean;
}

/** A request to the team's CouchDB server (engine/sync): the host adds the password from its secret store. */
export const couchRequestSchema = z.object({
  url: z.string().min(1),
  method: z.enum(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']),
  headers: z.record(z.string(), headerLine).default({}),
  body: z.string().nullable().default(null),
  auth: z.object({ user: z.string().min(1), passwordSecret: z.string().regex(/^[\w.-]+$/) }).nullable(),
  timeoutMs: z.number().int().min(100).max(300_000).default(60_000),
});
export type CouchRequest = z.infer<typeof couchRequestSchema>;

export interface CouchReply {
  status: number;
  body: string;
  contentType: string | null;
}

export interface HostInfo {
  shell: 'desktop' | 'web';
  version: string;
  /** Only when the host was started with the test flag: the engine's clock follows the host's test clock. */
  testMode: boolean;
}

/** Backup file names the host accepts: no folders, no dots that climb out of its backup folder. */
export const backupNameSchema = z.string().regex(/^[\w-]+(\.[\w-]+)*\.json$/, 'Not a backup file name');

export interface BackupFileInfo {
  name: string;
  size: number;
  /** When the file was written (epoch ms, host time). */
  createdAt: number;
}

export const hostContract = {
  'host.info': method<HostInfo>()(z.object({})),
  'email.send': method<SendReceipt>()(
    z.object({ account: smtpAccountSchema, message: emailMessageSchema, idempotencyKey: z.string().min(1) }),
  ),
  'email.verify': method<{ response: string }>()(z.object({ account: smtpAccountSchema })),
  'imap.verify': method<{ response: string }>()(z.object({ account: imapAccountSchema })),
  /**
   * New messages in the watched folder after `sinceUid` (null: none yet, only the current position is
   * returned so old mail is never taken for replies). With `waitMs`, the host waits for new mail with
   * IDLE when the server supports it.
   */
  'imap.fetchNew': method<ImapFetchResult>()(
    z.object({
      account: imapAccountSchema,
      sinceUid: z.number().int().min(0).nullable(),
      uidValidity: z.number().int().nullable(),
      waitMs: z.number().int().min(0).max(30_000).default(0),
    }),
  ),
  'sms.send': method<SmsReceipt>()(
    z.object({
      gateway: smsGatewaySchema,
      message: z.object({ to: z.string().min(1), body: z.string() }),
      idempotencyKey: z.string().min(1),
    }),
  ),
  'sms.poll': method<{ messages: InboundSms[] }>()(z.object({ gateway: smsGatewaySchema, sinceMs: z.number() })),
  'sms.verify': method<{ response: string }>()(z.object({ gateway: smsGatewaySchema })),
  /** The gateway's delivery status of a sent text (Twilio-compatible gateways; a generic one reports "unknown"). */
  'sms.status': method<{ status: string; error: string | null }>()(z.object({ gateway: smsGatewaySchema, messageId: z.string().min(1) })),
  'webhook.send': method<WebhookResult>()(
    z.object({
      request: webhookRequestSchema,
      timeoutMs: z.number().int().min(100).max(120_000),
      idempotencyKey: z.string().min(1),
    }),
  ),
  /**
   * The builder's "Send test request": one call, no idempotency journal, no retries; any status is an
   * answer. Only "no usable answer" (refused, timeout, name not found) throws DeliveryFailed.
   */
  'webhook.test': method<WebhookTestAnswer>()(
    z.object({ request: webhookRequestSchema, timeoutMs: z.number().int().min(100).max(120_000) }),
  ),
  /** A desktop notification; `shown: false` when this host cannot show one (web mode: the page shows it). */
  'notify.show': method<{ shown: boolean }>()(
    z.object({ title: z.string().max(200), body: z.string().max(1000), leadId: z.string().nullable() }),
  ),
  'secrets.set': method<{ name: string }>()(z.object({ name: z.string().regex(/^[\w.-]+$/), value: z.string() })),
  'secrets.delete': method<{ deleted: boolean }>()(z.object({ name: z.string().regex(/^[\w.-]+$/) })),
  /** Automatic daily backups, kept by the host in its data folder (0600) for `keepDays` days. */
  'backup.write': method<BackupFileInfo>()(
    z.object({ name: backupNameSchema, text: z.string().min(1), keepDays: z.number().int().min(1).max(365) }),
  ),
  'backup.list': method<BackupFileInfo[]>()(z.object({})),
  'backup.read': method<{ text: string }>()(z.object({ name: backupNameSchema })),
  /** One HTTP exchange with the team server; any status is an answer (see src-main/host/couch.ts). */
  'couch.request': method<CouchReply>()(couchRequestSchema),
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

/** Error codes of the HTTP channels (webhooks, SMS gateway) and the reply watcher (IMAP). */
export type ChannelErrorCode =
  | 'HttpUnreachable'
  | 'HttpTimeout'
  | 'HttpStatus'
  | 'HttpRedirectLoop'
  | 'HttpBadAnswer'
  | 'PhoneInvalid'
  | 'ImapUnreachable'
  | 'ImapAuthFailed'
  | 'SecretMissing';

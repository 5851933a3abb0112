import { z } from 'zod';

/** The inbox watched for replies (DESIGN §6: IMAP via imapflow). The password lives in the host's secret store. */
export const imapAccountInputSchema = z.object({
  host: z.string().trim().min(1, 'Enter the IMAP server name, e.g. imap.gmail.com'),
  port: z.number().int().min(1, 'Port must be between 1 and 65535').max(65535, 'Port must be between 1 and 65535'),
  tls: z.boolean(),
  user: z.string().trim().min(1, 'Enter the user name of the mailbox'),
  folder: z.string().trim().min(1).default('INBOX'),
  /** Replies must pause plans within a minute, so the poll interval is at most 60 s. */
  pollSeconds: z.number().int().min(10, 'Check at least every 10 seconds').max(60, 'Check at least once a minute').default(60),
  enabled: z.boolean().default(true),
  password: z.string().optional(),
});
export type ImapAccountInput = z.input<typeof imapAccountInputSchema>;

export interface ImapAccount {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  pollSeconds: number;
  enabled: boolean;
  passwordSecret: string | null;
}

export const smsPresetSchema = z.enum(['twilio', 'generic']);
export type SmsPreset = z.infer<typeof smsPresetSchema>;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use E.164 form, e.g. +14155550123');
const httpUrl = z.url({ protocol: /^https?$/, error: 'Enter an address starting with http:// or https://' });

/** The SMS provider: a Twilio-compatible Messages API, or any HTTP endpoint with a body template. */
export const smsGatewayInputSchema = z.discriminatedUnion('preset', [
  z.object({
    preset: z.literal('twilio'),
    accountSid: z.string().trim().min(1, 'Enter the account SID'),
    fromNumber: e164,
    /** https://api.twilio.com in production; a local server in tests or with a compatible provider. */
    baseUrl: httpUrl.default('https://api.twilio.com'),
    authToken: z.string().optional(),
  }),
  z.object({
    preset: z.literal('generic'),
    url: httpUrl,
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    /** The request body with {{to}}, {{from}} and {{body}} filled in (JSON-escaped when the body is JSON). */
    bodyTemplate: z.string().max(10_000).default('{"to":"{{to}}","from":"{{from}}","body":"{{body}}"}'),
    contentType: z.string().trim().min(1).default('application/json'),
    fromNumber: e164,
    /** Sent as the Authorization header; stored in the host's secret store. */
    authToken: z.string().optional(),
  }),
]);
export type SmsGatewayInput = z.input<typeof smsGatewayInputSchema>;

export type SmsGateway =
  | { preset: 'twilio'; accountSid: string; fromNumber: string; baseUrl: string; authTokenSecret: string | null }
  | {
      preset: 'generic';
      url: string;
      method: 'POST' | 'PUT' | 'GET';
      bodyTemplate: string;
      contentType: string;
      fromNumber: string;
      authTokenSecret: string | null;
    };

/** Defaults every webhook step uses: its timeout and headers added to each request (secret ones kept by the host). */
export const webhookDefaultsInputSchema = z.object({
  timeoutSeconds: z.number().int().min(1, 'At least 1 second').max(120, 'At most 120 seconds').default(10),
  headers: z
    .array(
      z.object({
        name: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'A header name has letters, digits and dashes only'),
        /** Empty for a secret header whose value is already stored and is not being changed. */
        value: z.string().refine((v) => !/[\r\n]/.test(v), 'A header value must be on one line'),
        secret: z.boolean().default(false),
      }),
    )
    .max(20)
    .default([]),
});
export type WebhookDefaultsInput = z.input<typeof webhookDefaultsInputSchema>;

export interface WebhookDefaults {
  timeoutSeconds: number;
  /** Plain headers carry their value; secret ones name the host secret that holds it. */
  headers: ({ name: string; secret: false; value: string } | { name: string; secret: true; secretName: string })[];
}

export const DEFAULT_WEBHOOK_DEFAULTS: WebhookDefaults = { timeoutSeconds: 10, headers: [] };

/** A request as it is shown to the user: secret header values replaced by a mask. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  body: string | null;
}

/** One attempt to deliver an outbox message, for the webhook monitor (status, answer, timing, request sent). */
export interface DeliveryAttempt {
  id: string;
  outboxId: string;
  leadId: string;
  channel: 'email' | 'sms' | 'webhook' | 'notification';
  at: number;
  ok: boolean;
  /** HTTP status (webhooks, SMS gateway) when the server answered. */
  status: number | null;
  /** The first part of the server's answer (or the error in words when it did not answer). */
  responseExcerpt: string;
  durationMs: number | null;
  request: RecordedRequest | null;
  errorCode: string | null;
}

/** A parsed message from the watched inbox, as the host returns it. */
export interface InboundEmail {
  uid: number;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string;
  fromName: string;
  subject: string;
  /** Plain text of the body (first 20 000 characters). */
  text: string;
  date: number;
  /** Why this looks like an automatic answer (Auto-Submitted, out-of-office...), or null for a person's reply. */
  autoReply: string | null;
}

/** A text message the gateway received for our number. */
export interface InboundSms {
  id: string;
  from: string;
  to: string;
  body: string;
  date: number;
}

import { z } from 'zod';
import type { DeliveryAttempt, ImapAccount, SmsGateway, WebhookDefaults } from '../model/channels';
import { imapAccountInputSchema, smsGatewayInputSchema, webhookDefaultsInputSchema } from '../model/channels';
import { leadId, outboxId } from '../model/ids';
import { method } from '../rpc/spec';

export interface ConnectionTestResult {
  /** The server's answer in words, e.g. `Logged in to imap.example.com. Folder "INBOX" has 12 messages…`. */
  response: string;
}

export interface ReplyCheckResult {
  /** Messages read from the inbox or the SMS gateway in this check. */
  read: number;
  /** Counted replies from leads (automatic answers and unknown senders excluded). */
  replies: number;
  /** Problems in words (e.g. the mail server could not be reached); the next check tries again. */
  problems: string[];
}

/** A webhook monitor line: one delivery attempt with the lead and message it belongs to. */
export interface DeliveryView extends DeliveryAttempt {
  summary: string;
  leadName: string;
}

/** Settings and monitors of the outside channels: replies (IMAP), text messages (SMS gateway), webhooks. */
export const channelsContract = {
  'settings.imap.get': method<ImapAccount | null>()(z.object({})),
  'settings.imap.save': method<ImapAccount>()(imapAccountInputSchema),
  'settings.imap.test': method<ConnectionTestResult>()(z.object({})),
  'settings.sms.get': method<SmsGateway | null>()(z.object({})),
  'settings.sms.save': method<SmsGateway>()(smsGatewayInputSchema),
  'settings.sms.test': method<ConnectionTestResult>()(z.object({})),
  'settings.webhooks.get': method<WebhookDefaults>()(z.object({})),
  'settings.webhooks.save': method<WebhookDefaults>()(webhookDefaultsInputSchema),
  /** Sends `{"test":"true"}` with the saved default headers and timeout, and reports the answer in words. */
  'settings.webhooks.test': method<ConnectionTestResult>()(
    z.object({ url: z.url({ protocol: /^https?$/, error: 'Enter an address starting with http:// or https://' }) }),
  ),
  /** A desktop notification about a lead was clicked: every open window shows that lead. */
  'notifications.open': method<{ opened: true }>()(z.object({ leadId })),
  /** Reads new replies now (the watcher also does this at least once a minute). */
  'replies.checkNow': method<ReplyCheckResult>()(z.object({})),
  /** Delivery attempts, newest first: of one message, of one lead, or of every webhook (the monitor). */
  'outbox.deliveries': method<DeliveryView[]>()(
    z.object({
      outboxId: outboxId.optional(),
      leadId: leadId.optional(),
      channel: z.enum(['email', 'sms', 'webhook', 'notification']).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
  ),
};

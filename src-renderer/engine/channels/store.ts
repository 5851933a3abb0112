import type { ImapAccount, SmsGateway, WebhookDefaults } from '@shared/model/channels';
import { DEFAULT_WEBHOOK_DEFAULTS } from '@shared/model/channels';
import type { AppDb } from '../store/db';

/** Channel settings, one row each in the settings table (passwords and tokens live in the host's secret store). */
export interface ChannelSettings {
  imapAccount: ImapAccount | null;
  /** Where reading the inbox got to: new replies are the messages after `lastUid` (IMAP UIDs). */
  imapCursor: { uidValidity: number; lastUid: number } | null;
  smsGateway: SmsGateway | null;
  /** Inbound texts are read from this instant on. */
  smsCursor: { sinceMs: number } | null;
  webhookDefaults: WebhookDefaults;
}

const defaults: ChannelSettings = {
  imapAccount: null,
  imapCursor: null,
  smsGateway: null,
  smsCursor: null,
  webhookDefaults: DEFAULT_WEBHOOK_DEFAULTS,
};

export async function getChannelSetting<K extends keyof ChannelSettings>(db: AppDb, key: K): Promise<ChannelSettings[K]> {
  const row = await db.settings.get(key);
  return row ? (row.value as ChannelSettings[K]) : defaults[key];
}

export async function putChannelSetting<K extends keyof ChannelSettings>(db: AppDb, key: K, value: ChannelSettings[K]): Promise<void> {
  await db.settings.put({ key, value });
}

/** Host secret names: one per channel credential. */
export const SECRET = {
  imapPassword: 'imap-password',
  smsToken: 'sms-auth-token',
  webhookHeader: (name: string) => `webhook-header.${name.toLowerCase()}`,
} as const;

import type { EmailAccount } from '@shared/model/email-account';
import type { SendPolicy } from '@shared/model/send-policy';
import { DEFAULT_SEND_POLICY } from '@shared/model/send-policy';
import type { SmsLimits } from '@shared/model/send-limits';
import { DEFAULT_SMS_LIMITS } from '@shared/model/send-limits';
import type { AppDb } from '../store/db';

/** Typed access to the settings table: one key per setting. */
export interface SettingsShape {
  emailAccount: EmailAccount | null;
  sendingPaused: boolean;
  sendPolicy: SendPolicy;
  /** The SMS gateway's pace (issue 11); the gateway itself is set up with the SMS channel. */
  smsLimits: SmsLimits;
}

const defaults: SettingsShape = {
  emailAccount: null,
  sendingPaused: false,
  sendPolicy: DEFAULT_SEND_POLICY,
  smsLimits: DEFAULT_SMS_LIMITS,
};

export async function getSetting<K extends keyof SettingsShape>(db: AppDb, key: K): Promise<SettingsShape[K]> {
  const row = await db.settings.get(key);
  return row ? (row.value as SettingsShape[K]) : defaults[key];
}

export async function putSetting<K extends keyof SettingsShape>(db: AppDb, key: K, value: SettingsShape[K]): Promise<void> {
  await db.settings.put({ key, value });
}

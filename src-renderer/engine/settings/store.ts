import type { EmailAccount } from '@shared/model/email-account';
import type { SendPolicy } from '@shared/model/send-policy';
import { DEFAULT_SEND_POLICY } from '@shared/model/send-policy';
import type { AppDb } from '../store/db';

/** Typed access to the settings table: one key per setting. */
export interface SettingsShape {
  emailAccount: EmailAccount | null;
  sendingPaused: boolean;
  sendPolicy: SendPolicy;
}

const defaults: SettingsShape = { emailAccount: null, sendingPaused: false, sendPolicy: DEFAULT_SEND_POLICY };

export async function getSetting<K extends keyof SettingsShape>(db: AppDb, key: K): Promise<SettingsShape[K]> {
  const row = await db.settings.get(key);
  return row ? (row.value as SettingsShape[K]) : defaults[key];
}

export async function putSetting<K extends keyof SettingsShape>(db: AppDb, key: K, value: SettingsShape[K]): Promise<void> {
  await db.settings.put({ key, value });
}

import { z } from 'zod';

/**
 * How fast one sending account (a mailbox or the SMS gateway) may send, so the provider never
 * throttles or locks it. Windows are rolling: "30 per minute" means no 60 seconds ever hold more than 30.
 */
export type LimitPreset = 'googleWorkspace' | 'gmail' | 'microsoft365' | 'custom';

export interface SendLimits {
  preset: LimitPreset;
  perMinute: number | null;
  perHour: number | null;
  /** Rolling 24 hours, the way Google and Microsoft count. */
  perDay: number | null;
}

export interface SmsLimits {
  perSecond: number;
  perDay: number | null;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Published limits (checked): Google Workspace 2,000 / rolling 24 h; Microsoft 365 30 / minute and 10,000 / day. */
export const LIMIT_PRESETS: Record<LimitPreset, SendLimits> = {
  googleWorkspace: { preset: 'googleWorkspace', perMinute: null, perHour: null, perDay: 2000 },
  // Consumer Gmail publishes 500 / day for the web and less over SMTP in practice: stay at 500.
  gmail: { preset: 'gmail', perMinute: null, perHour: null, perDay: 500 },
  microsoft365: { preset: 'microsoft365', perMinute: 30, perHour: null, perDay: 10_000 },
  // An unknown provider: slow enough for any ordinary mailbox; the user sees and can raise it.
  custom: { preset: 'custom', perMinute: 10, perHour: 100, perDay: 500 },
};

export const PRESET_LABELS: Record<LimitPreset, string> = {
  googleWorkspace: 'Google Workspace',
  gmail: 'Gmail (personal)',
  microsoft365: 'Microsoft 365 / Outlook',
  custom: 'Custom',
};

/** One sentence per preset, shown under the choice in Settings. */
export const PRESET_EXPLANATIONS: Record<LimitPreset, string> = {
  googleWorkspace: 'Google Workspace accounts may send 2,000 messages in any 24 hours; we stay inside that.',
  gmail: 'Personal Gmail accounts get locked above about 500 messages a day, so we send at most 500 in any 24 hours.',
  microsoft365: 'Microsoft 365 allows 30 messages a minute and 10,000 a day; faster sending gets the mailbox blocked.',
  custom: 'Set the limits your provider publishes; empty means no limit for that window.',
};

export const DEFAULT_SMS_LIMITS: SmsLimits = { perSecond: 1, perDay: null };

const GOOGLE_HOSTS = /(^|\.)(gmail\.com|googlemail\.com|google\.com)$/i;
const MICROSOFT_HOSTS = /(^|\.)(office365\.com|outlook\.com|hotmail\.com|live\.com)$/i;
const CONSUMER_GOOGLE_ADDRESS = /@(gmail|googlemail)\.com$/i;

/** The preset that fits an SMTP server; unknown servers get "custom" with conservative numbers. */
export function suggestPreset(smtpHost: string, fromEmail: string): LimitPreset {
  const host = smtpHost.trim();
  if (GOOGLE_HOSTS.test(host)) return CONSUMER_GOOGLE_ADDRESS.test(fromEmail.trim()) ? 'gmail' : 'googleWorkspace';
  if (MICROSOFT_HOSTS.test(host)) return 'microsoft365';
  return 'custom';
}

export const suggestLimits = (smtpHost: string, fromEmail: string): SendLimits => LIMIT_PRESETS[suggestPreset(smtpHost, fromEmail)];

const count = (what: string, max: number) =>
  z
    .number({ error: `Enter the number of messages ${what}` })
    .int(`Messages ${what} must be a whole number`)
    .min(1, `Messages ${what} must be at least 1 (leave it empty for no limit)`)
    .max(max, `Messages ${what} cannot be more than ${max.toLocaleString('en-US')}: no provider allows that`)
    .nullable();

export const sendLimitsSchema = z
  .object({
    preset: z.enum(['googleWorkspace', 'gmail', 'microsoft365', 'custom']),
    perMinute: count('per minute', 10_000),
    perHour: count('per hour', 100_000),
    perDay: count('per 24 hours', 1_000_000),
  })
  .refine((l) => l.perMinute !== null || l.perHour !== null || l.perDay !== null, {
    message: 'Set at least one limit (per minute, per hour or per 24 hours)',
    path: ['perDay'],
  })
  .transform((l): SendLimits => (l.preset === 'custom' ? l : LIMIT_PRESETS[l.preset]));

export const smsLimitsSchema = z.object({
  perSecond: z
    .number({ error: 'Enter the number of texts per second' })
    .int('Texts per second must be a whole number')
    .min(1, 'Texts per second must be at least 1')
    .max(100, 'Texts per second cannot be more than 100'),
  perDay: count('per day', 1_000_000),
});

/** A rolling window: at most `max` sends in any `windowMs`. */
export interface LimitRule {
  windowMs: number;
  max: number;
  /** "per minute", for the queue summary. */
  label: string;
}

export function emailLimitRules(l: SendLimits): LimitRule[] {
  const rules: LimitRule[] = [];
  if (l.perMinute !== null) rules.push({ windowMs: MINUTE_MS, max: l.perMinute, label: 'per minute' });
  if (l.perHour !== null) rules.push({ windowMs: HOUR_MS, max: l.perHour, label: 'per hour' });
  if (l.perDay !== null) rules.push({ windowMs: DAY_MS, max: l.perDay, label: 'per 24 hours' });
  return rules;
}

export function smsLimitRules(l: SmsLimits): LimitRule[] {
  const rules: LimitRule[] = [{ windowMs: 1000, max: l.perSecond, label: 'per second' }];
  if (l.perDay !== null) rules.push({ windowMs: DAY_MS, max: l.perDay, label: 'per 24 hours' });
  return rules;
}

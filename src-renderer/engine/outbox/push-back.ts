import type { EpochMs } from '@shared/model/ids';
import type { DeliveryError } from '@shared/model/outbox';
import { DAY_MS, MINUTE_MS, HOUR_MS } from '@shared/model/send-limits';

/**
 * Provider push-back (issue 11): the server says the mailbox is sending too fast (421, 450/451/452,
 * 4.7.x) or has used its quota (Google 5.4.5 daily quota, Microsoft 5.2.2 submission quota). Hammering
 * on gets a mailbox locked for up to 24 hours, so the whole account pauses instead.
 */
export type PushBack = 'rate' | 'quota';

const QUOTA = /\b5\.4\.5\b|\b5\.2\.2\b.*submission|submissionquota|sending (quota|limit)/i;

export function pushBackOf(error: Pick<DeliveryError, 'code' | 'response'>): PushBack | null {
  if (error.code !== 'SmtpThrottled') return null;
  return QUOTA.test(error.response ?? '') ? 'quota' : 'rate';
}

/**
 * How long the account pauses. A quota lasts until the oldest send of the last 24 hours ages out of
 * the provider's rolling day (24 hours from now when we sent nothing: the quota was used elsewhere).
 * A rate push-back waits a minute, doubling with each one in a row, up to an hour.
 */
export function pauseUntil(kind: PushBack, now: EpochMs, oldestSendInDay: EpochMs | null, throttlesInARow: number): EpochMs {
  if (kind === 'quota') return Math.max(now + MINUTE_MS, (oldestSendInDay ?? now) + DAY_MS);
  return now + Math.min(MINUTE_MS * 2 ** Math.max(0, throttlesInARow - 1), HOUR_MS);
}

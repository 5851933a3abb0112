import { DateTime } from 'luxon';
import type { EpochMs } from '@shared/model/ids';
import { DAILY_MANUAL_ASSIGNMENTS } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';

/** The account day an instant falls on, in the account's zone (the cap resets at the account's midnight). */
export function accountDay(at: EpochMs, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toISODate() ?? DateTime.fromMillis(at, { zone: 'UTC' }).toISODate()!;
}

export interface QuotaState {
  day: string;
  used: number;
  limit: number;
  remaining: number;
}

export async function quotaToday(deps: EngineDeps): Promise<QuotaState> {
  const account = await deps.db.account.get('account');
  const day = accountDay(deps.clock.now(), account?.timeZone ?? 'UTC');
  const used = (await deps.db.assignmentDays.get(day))?.count ?? 0;
  return { day, used, limit: DAILY_MANUAL_ASSIGNMENTS, remaining: Math.max(0, DAILY_MANUAL_ASSIGNMENTS - used) };
}

/**
 * Takes `requested` assignments from today's account-wide quota, or refuses the whole request
 * with the numbers. Call inside the transaction that writes the enrollments: if they fail, the
 * counter rolls back with them, so nothing is half-applied and nothing is counted twice.
 */
export async function takeQuota(deps: EngineDeps, requested: number): Promise<QuotaState> {
  const q = await quotaToday(deps);
  if (requested > q.remaining) {
    const left = q.remaining === 0 ? 'none are left' : `only ${q.remaining} ${q.remaining === 1 ? 'is' : 'are'} left`;
    throw new AppError(
      'QuotaExceeded',
      `The account may make ${q.limit} manual assignments to fully automated plans per day and ${left} today; this request needs ${requested}. Nothing was assigned.`,
      { limit: q.limit, used: q.used, remaining: q.remaining, requested, day: q.day },
    );
  }
  await deps.db.assignmentDays.put({ day: q.day, count: q.used + requested });
  return { ...q, used: q.used + requested, remaining: q.remaining - requested };
}

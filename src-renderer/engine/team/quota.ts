import { DateTime } from 'luxon';
import type { EpochMs, UserId } from '@shared/model/ids';
import { DAILY_MANUAL_ASSIGNMENTS } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { holdNewEnrollments } from '../store/enrollment-runner';

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

/**
 * A manual assignment made on a computer of a team: it counts on the team server's daily counter
 * (sync/team-quota.ts). Its enrollments wait (runner `held:<id>`) until the server took the count;
 * refused there (other computers spent the day's quota meanwhile), they stop with the reason.
 * Kept in this computer's settings (never sent), key `quotaClaim:<id>`.
 */
export interface QuotaClaim {
  id: string;
  day: string;
  count: number;
  userId: UserId;
  at: EpochMs;
  state: 'pending' | 'granted' | 'refused';
  enrollmentIds: string[];
  reason?: string;
}

export const CLAIM_KEY_PREFIX = 'quotaClaim:';
export const heldRunner = (claimId: string): string => `held:${claimId}`;

export async function quotaClaims(deps: EngineDeps): Promise<QuotaClaim[]> {
  const rows = await deps.db.settings.where('key').startsWith(CLAIM_KEY_PREFIX).toArray();
  return rows.map((r) => r.value as QuotaClaim);
}

export async function quotaToday(deps: EngineDeps): Promise<QuotaState> {
  const account = await deps.db.account.get('account');
  const day = accountDay(deps.clock.now(), account?.timeZone ?? 'UTC');
  let used = (await deps.db.assignmentDays.get(day))?.count ?? 0;
  // On a team: the server's count as last seen here, and what this computer spent since.
  if (deps.sync?.signedIn) for (const c of await quotaClaims(deps)) if (c.day === day && c.state === 'pending') used += c.count;
  return { day, used, limit: DAILY_MANUAL_ASSIGNMENTS, remaining: Math.max(0, DAILY_MANUAL_ASSIGNMENTS - used) };
}

/**
 * Takes `requested` assignments from today's account-wide quota, or refuses the whole request
 * with the numbers. Call inside the transaction that writes the enrollments, then `commit` after
 * them: if they fail, the counter rolls back with them, so nothing is half-applied and nothing is
 * counted twice. On a team's computer the count is a claim on the server's counter, settled on sync.
 */
export async function takeQuota(deps: EngineDeps, requested: number, userId: UserId): Promise<QuotaState & { commit(): Promise<void> }> {
  const q = await quotaToday(deps);
  if (requested > q.remaining) {
    const left = q.remaining === 0 ? 'none are left' : `only ${q.remaining} ${q.remaining === 1 ? 'is' : 'are'} left`;
    throw new AppError(
      'QuotaExceeded',
      `The account may make ${q.limit} manual assignments to fully automated plans per day and ${left} today; this request needs ${requested}. Nothing was assigned.`,
      { limit: q.limit, used: q.used, remaining: q.remaining, requested, day: q.day },
    );
  }
  const after = { ...q, used: q.used + requested, remaining: q.remaining - requested };
  if (!deps.sync?.signedIn) {
    await deps.db.assignmentDays.put({ day: q.day, count: q.used + requested });
    return { ...after, commit: () => Promise.resolve() };
  }
  const id = deps.newId();
  const hold = holdNewEnrollments(heldRunner(id));
  const claim: QuotaClaim = { id, day: q.day, count: requested, userId, at: deps.clock.now(), state: 'pending', enrollmentIds: [] };
  return {
    ...after,
    commit: async () => {
      await deps.db.settings.put({ key: CLAIM_KEY_PREFIX + id, value: { ...claim, enrollmentIds: hold.ids } });
    },
  };
}

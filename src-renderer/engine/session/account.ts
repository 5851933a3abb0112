import type { UserId } from '@shared/model/ids';
import type { Account, User } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** First run: a one-person account whose user is its primary manager (the solo agent). */
export async function ensureAccount(deps: EngineDeps): Promise<void> {
  const { db, clock } = deps;
  await db.transaction('rw', db.account, db.users, async () => {
    if (await db.account.get('account')) return;
    const now = clock.now();
    const zone = localZone();
    const account: Account = { id: 'account', name: 'My team', timeZone: zone, createdAt: now, onboarded: false };
    const owner: User = { id: deps.newId() as UserId, name: 'Me', email: '', role: 'primaryManager', timeZone: zone, createdAt: now };
    await db.account.add(account);
    await db.users.add(owner);
  });
}

/** The user a call acts as: the claimed id, or the primary manager when none is given. */
export async function resolveUser(deps: EngineDeps, as: string | null): Promise<User> {
  const { db } = deps;
  const user = as ? await db.users.get(as as UserId) : await db.users.filter((u) => u.role === 'primaryManager').first();
  if (!user) throw new AppError('PermissionDenied', 'Unknown user: pick a profile again.', { userId: as });
  return user;
}

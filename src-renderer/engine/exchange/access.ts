import type { Plan } from '@shared/model/plan';
import type { User } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';

/** Personal plans are visible only to their creator (DESIGN §3); account plans to everyone. */
export function canSeePlan(plan: Plan, user: User): boolean {
  return plan.scope.kind === 'account' || plan.scope.ownerUserId === user.id;
}

export function isManager(user: User): boolean {
  return user.role === 'manager' || user.role === 'primaryManager';
}

/** Only managers and the primary manager own account-level plans (DESIGN §3). */
export function assertCanImportAsAccount(user: User): void {
  if (!isManager(user)) {
    throw new AppError(
      'PermissionDenied',
      'Only a manager can import plans as account-level plans. Import it as a personal plan instead.',
      {
        role: user.role,
      },
    );
  }
}

/** A name for a file a user saves: letters, digits and dashes. */
export function fileSlug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'plans'
  );
}

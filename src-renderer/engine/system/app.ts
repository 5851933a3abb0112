import type { sessionContract } from '@shared/contract/session';
import type { systemContract } from '@shared/contract/system';
import type { EngineDeps } from '../deps';
import { AppError } from '@shared/rpc/errors';
import type { AreaHandlers } from '../handlers';
import { seedLeads } from '../leads/seed';
import type { SchedulerLoop } from '../runtime';

export function createSystemHandlers(
  deps: EngineDeps,
  scheduler: SchedulerLoop,
  testMode: boolean,
): AreaHandlers<typeof systemContract & typeof sessionContract> {
  return {
    'system.wake'() {
      scheduler.wake();
      return Promise.resolve({ woke: true as const });
    },
    'system.now'() {
      return Promise.resolve({ now: deps.clock.now() });
    },
    async 'system.seedLeads'({ count, seed }) {
      if (!testMode) throw new AppError('PermissionDenied', 'Generated leads can only be added in test mode.');
      return { added: await seedLeads(deps, count, seed) };
    },
    async 'session.get'(_params, { user }) {
      const [account, users] = await Promise.all([deps.db.account.get('account'), deps.db.users.toArray()]);
      if (!account) throw new Error('The account is not set up yet');
      return { account, users, currentUser: user, schedulerRunning: scheduler.running, testMode };
    },
  };
}

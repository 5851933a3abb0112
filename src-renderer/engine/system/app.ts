import type { sessionContract } from '@shared/contract/session';
import type { systemContract } from '@shared/contract/system';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
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
    async 'session.get'(_params, { user }) {
      const [account, users] = await Promise.all([deps.db.account.get('account'), deps.db.users.toArray()]);
      if (!account) throw new Error('The account is not set up yet');
      return { account, users, currentUser: user, schedulerRunning: scheduler.running, testMode };
    },
  };
}

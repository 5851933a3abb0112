import { z } from 'zod';
import type { Account, User } from '../model/team';
import { method } from '../rpc/spec';

export interface Session {
  account: Account;
  users: User[];
  currentUser: User;
  /** Whether this engine holds the scheduler lock (another tab or window may hold it instead). */
  schedulerRunning: boolean;
  testMode: boolean;
}

export const sessionContract = {
  'session.get': method<Session>()(z.object({})),
};

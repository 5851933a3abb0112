import type { EpochMs, UserId } from './ids';

export type Role = 'primaryManager' | 'manager' | 'agent' | 'lender';

export interface User {
  id: UserId;
  name: string;
  email: string;
  role: Role;
  timeZone: string;
  createdAt: EpochMs;
}

export interface Account {
  id: 'account';
  name: string;
  timeZone: string;
  createdAt: EpochMs;
}

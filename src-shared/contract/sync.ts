import { z } from 'zod';
import { userId } from '../model/ids';
import type { Role } from '../model/team';
import { method } from '../rpc/spec';

/** What the status line of Settings → Team server says, and the sidebar's small version of it. */
export type TeamServerState = 'off' | 'firstSync' | 'syncing' | 'synced' | 'offline' | 'signInRefused';

export interface SyncProblem {
  docId: string;
  reason: string;
  at: number;
}

export interface TeamServerStatus {
  state: TeamServerState;
  url: string | null;
  user: string | null;
  role: Role | null;
  teamId: string | null;
  deviceId: string | null;
  deviceName: string | null;
  lastSyncAt: number | null;
  offlineSince: number | null;
  /** Changes made here that the server does not have yet. */
  waiting: number;
  /** The first sync (or a long catch-up): what is being moved, how far it is. */
  progress: { phase: 'sending' | 'receiving' | 'applying'; done: number; total: number | null } | null;
  /** The status in words, e.g. "Synced at 14:02" or "Offline since 13:40: 12 changes wait here". */
  message: string;
  /** Recent changes the server refused and documents from it that could not be used, in words. */
  problems: SyncProblem[];
  /** Conflicts resolved since this computer joined (Settings → Team server lists them). */
  conflicts: number;
}

export interface SyncConflictView {
  id: string;
  at: number;
  kind: string;
  summary: string;
}

const url = z
  .string()
  .trim()
  .min(1, 'Enter the team server’s address')
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v), 'The address must start with http:// or https://, e.g. http://192.168.1.20:5984');
const login = z.string().trim().min(1, 'Enter the sign-in name').max(200);
const password = z.string().min(1, 'Enter the password').max(500);

export const serverSignInSchema = z.object({ url, user: login, password });

export const serverAdminSchema = z.object({ url, adminUser: login, adminPassword: password });

export const syncContract = {
  'sync.status': method<TeamServerStatus>()(z.object({})),
  /** Signs in without changing anything: says in words what the server answered and who you are there. */
  'sync.test': method<{ message: string; teamId: string | null; role: Role | null }>()(serverSignInSchema),
  /**
   * Joins this computer to the team on the server: a new computer takes the team's account, people,
   * plans and your leads; the computer that set the team up sends its store. Starts the first sync.
   */
  'sync.connect': method<TeamServerStatus>()(serverSignInSchema.extend({ deviceName: z.string().trim().min(1).max(100).optional() })),
  /** Stops syncing on this computer (its data stays here; the server keeps the team's). */
  'sync.disconnect': method<TeamServerStatus>()(z.object({})),
  'sync.now': method<TeamServerStatus>()(z.object({})),
  'sync.conflicts': method<SyncConflictView[]>()(z.object({ limit: z.number().int().min(1).max(500).default(100) })),
  /**
   * A manager sets the team up on a CouchDB server with its administrator's name and password (used
   * for this call only, never stored): the team's databases, who may read and write them, the server's
   * own checks, and a sign-in for the manager. Then this computer connects and sends its store.
   */
  'sync.setupTeam': method<TeamServerStatus>()(
    serverAdminSchema.extend({
      teamId: z
        .string()
        .regex(/^[a-z][a-z0-9]{2,30}$/)
        .optional(),
      login,
      password,
      deviceName: z.string().trim().min(1).max(100).optional(),
    }),
  ),
  /** A manager gives a person of the team a sign-in on the server (their databases and its checks). */
  'sync.invite': method<{ login: string }>()(serverAdminSchema.extend({ userId, login, password })),
};

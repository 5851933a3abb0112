import type { HostContract, HostTransport } from '@shared/contract/host';
import type { EngineContract } from '@shared/contract';
import type { TeamServerStatus } from '@shared/contract/sync';
import type { LeadId, UserId } from '@shared/model/ids';
import type { Role, User } from '@shared/model/team';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { ManualClock } from '../../../src-renderer/engine/clock';
import type { CouchServer } from '../../support/couch-server';
import type { TestEngine } from './harness';
import { newDbName, startEngine, T0 } from './harness';
import type { RealHost } from './real-host';
import { startRealHost } from './real-host';

/**
 * One person's computer of a team: its own store, clock and host (the real host adapters: SMTP
 * to a test server, the team server through `couch.request`), signed in as one user.
 */
export interface Computer {
  name: string;
  t: TestEngine;
  host: RealHost;
  /** While true this computer cannot reach the team server (its other channels still work). */
  net: { offline: boolean };
  userId: UserId;
  call<K extends keyof EngineContract>(method: K, params: ParamsOf<EngineContract[K]>): Promise<ResultOf<EngineContract[K]>>;
  /** One sync round, as the loop runs every few seconds. */
  sync(): Promise<TeamServerStatus>;
  close(): Promise<void>;
}

/** A host whose team-server requests fail while `net.offline` (as when the laptop has no network). */
function withNetwork(real: RealHost, net: { offline: boolean }): HostTransport {
  return {
    call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
      if (net.offline && method === 'couch.request') return Promise.reject(new Error('Could not reach 127.0.0.1: connection refused.'));
      return real.call(method, params);
    },
  };
}

async function computer(
  name: string,
  smtpPort: number,
  clock: ManualClock,
): Promise<Omit<Computer, 'userId' | 'call' | 'sync'> & { t: TestEngine }> {
  const host = await startRealHost();
  const net = { offline: false };
  const t = await startEngine({
    host: withNetwork(host, net),
    clock,
    dbName: newDbName(),
    emailAccount: { host: '127.0.0.1', port: smtpPort, security: 'none', fromName: name, fromEmail: `${name.toLowerCase()}@example.com` },
  });
  return {
    name,
    t,
    host,
    net,
    async close() {
      t.engine.close();
      await host.close();
    },
  };
}

function signedIn(base: Awaited<ReturnType<typeof computer>>, userId: UserId): Computer {
  const call = <K extends keyof EngineContract>(method: K, params: ParamsOf<EngineContract[K]>) => base.t.call(method, params, userId);
  return { ...base, userId, call, sync: () => call('sync.now', {}) };
}

export interface TeamPeople {
  manager: User;
  agent: User;
  lender: User;
}

export interface Team {
  couch: CouchServer;
  teamId: string;
  loginOf(name: string): string;
  people: TeamPeople;
  manager: Computer;
  /** Joins a new computer as one of the team's people (their sign-in is their first name, lower case). */
  join(name: keyof TeamPeople, clock?: ManualClock): Promise<Computer>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery staple';
let teams = 0;

/**
 * A team on a real CouchDB-compatible server: the manager's computer sets it up (its store becomes
 * the team's), invites an agent and a lender; `join` brings their computers in.
 */
export async function teamOnServer(
  couch: CouchServer,
  smtpPort: number,
  options: { teamId?: string; settings?: Partial<Record<'personalPlans' | 'preferredLender' | 'manualAutomated', boolean>> } = {},
): Promise<Team> {
  const computers: Computer[] = [];
  const base = await computer('Maria', smtpPort, new ManualClock(T0));
  const pm = (await base.t.call('session.get', {})).currentUser;
  await base.t.call('team.setupSolo', { name: 'Maria Manager', email: 'maria@example.com', timeZone: 'America/New_York' }, pm.id);
  await base.t.call('team.settings.set', { personalPlans: true, preferredLender: true, manualAutomated: true, ...options.settings }, pm.id);
  const add = (name: string, role: Role) =>
    base.t.call('team.users.add', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, role }, pm.id);
  const agent = await add('Alex Agent', 'agent');
  const lender = await add('Lee Lender', 'lender');
  const manager = signedIn(base, pm.id);
  computers.push(manager);
  const admin = { url: couch.url, adminUser: couch.admin.user, adminPassword: couch.admin.password };
  // Sign-ins are the server's, not the team's: each test team gets its own.
  const teamId = options.teamId ?? `t${++teams}x${process.pid}`;
  const loginOf = (name: string) => `${name.split(' ')[0]!.toLowerCase()}.${teamId}`;
  await manager.call('sync.setupTeam', { ...admin, teamId, login: loginOf('Maria'), password: PASSWORD, deviceName: 'Maria’s desktop' });
  for (const person of [agent, lender])
    await manager.call('sync.invite', { ...admin, userId: person.id, login: loginOf(person.name), password: PASSWORD });
  const people: TeamPeople = { manager: { ...pm, name: 'Maria Manager' }, agent, lender };
  return {
    couch,
    teamId,
    loginOf,
    people,
    manager,
    async join(name, clock = new ManualClock(T0)) {
      const person = people[name];
      const c = await computer(person.name.split(' ')[0]!, smtpPort, clock);
      const login = loginOf(person.name);
      await c.t.call('sync.connect', { url: couch.url, user: login, password: PASSWORD, deviceName: `${person.name}’s laptop` });
      const joined = signedIn(c, person.id);
      computers.push(joined);
      return joined;
    },
    async close() {
      for (const c of computers) await c.close();
    },
  };
}

/** Sync rounds on every computer until nothing moves (the server's own replications run in between). */
export async function settle(...computers: Computer[]): Promise<void> {
  for (let i = 0; i < 4; i++) {
    for (const c of computers) if (!c.net.offline) await c.sync();
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `leads.update` takes the whole profile: the current one with `patch` over it. */
export async function edit(c: Computer, id: LeadId, patch: Record<string, unknown>) {
  const {
    id: _id,
    optOuts: _o,
    createdAt: _c,
    updatedAt: _u,
    createdBy: _b,
    pendingRouting: _p,
    ...fields
  } = await c.call('leads.get', { id });
  return c.call('leads.update', { id, fields: { ...fields, ...patch } });
}

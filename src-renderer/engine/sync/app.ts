import type { syncContract, TeamServerStatus } from '@shared/contract/sync';
import type { User } from '@shared/model/team';
import { roleLabel } from '@shared/model/team';
import { AppError, conflict, notFound } from '@shared/rpc/errors';
import { teamDatabases, USER_ID_PATTERN } from '@shared/sync/server';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import type { SyncController } from './controller';
import type { ServerAccount } from './couch';
import { couchJson, normalizeUrl, TEAM_PASSWORD_SECRET } from './couch';
import { journalEverything } from './outbound';
import type { TeamServerConfig } from './session';
import { CONFIG_KEY, signIn } from './session';
import { setUpPerson, setUpTeamDatabases, withAdmin } from './setup';

const TEST_SECRET = 'teamServer.testPassword';

const randomId = (prefix: string): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return prefix + [...bytes].map((b) => (b % 36).toString(36)).join('');
};

function assertServerId(user: Pick<User, 'id' | 'name'>): void {
  if (!USER_ID_PATTERN.test(user.id)) {
    throw new AppError(
      'ValidationFailed',
      `${user.name}’s id (${user.id}) cannot name a database on the server: lower-case letters and digits only.`,
    );
  }
}

export function createSyncHandlers(deps: EngineDeps, sync: SyncController): AreaHandlers<typeof syncContract> {
  const { db, host, clock } = deps;

  async function saveConfig(config: TeamServerConfig): Promise<void> {
    await db.settings.put({ key: CONFIG_KEY, value: config });
  }

  /** Runs the first round now and waits for it, so the caller hears at once whether it worked. */
  async function firstRound(config: TeamServerConfig): Promise<TeamServerStatus> {
    const session = await sync.begin(config, true);
    await session.runOnce();
    const status = await session.status();
    if (status.state === 'offline' || status.state === 'signInRefused') {
      throw new AppError('HostUnavailable', `Connected, but the first sync did not finish: ${status.message}. It goes on by itself.`, {
        status,
      });
    }
    return status;
  }

  async function teamHasAccount(account: ServerAccount, teamId: string): Promise<boolean> {
    const { status } = await couchJson(host, account, 'GET', `${teamDatabases(teamId).team}/account%3Aaccount`);
    return status === 200;
  }

  /** Joins or re-joins: a new computer takes the team's data; the computer that set the team up sends its own. */
  async function connect(
    url: string,
    user: string,
    password: string,
    deviceName: string | undefined,
    mode: 'any' | 'setup',
  ): Promise<TeamServerStatus> {
    await host.call('secrets.set', { name: TEAM_PASSWORD_SECRET, value: password });
    const account: ServerAccount = { url: normalizeUrl(url), user, passwordSecret: TEAM_PASSWORD_SECRET };
    const signed = await signIn(deps, account);
    const local = await db.account.get('account');
    const previous = await sync.config();
    const config: TeamServerConfig = {
      url: account.url,
      user,
      teamId: signed.teamId,
      userId: signed.userId,
      role: signed.role,
      deviceId: previous?.teamId === signed.teamId && previous.userId === signed.userId ? previous.deviceId : randomId('d'),
      deviceName: deviceName ?? previous?.deviceName ?? `${user}’s computer`,
      connectedAt: clock.now(),
    };
    const onServer = await teamHasAccount(account, signed.teamId);
    const me = await db.users.get(signed.userId);
    if (mode === 'setup' || (!onServer && local?.onboarded && me)) {
      // This computer's store becomes the team's: everything it holds is sent.
      if (!me) throw notFound('User', signed.userId);
      await saveConfig(config);
      db.syncJournalNotes.enabled = true;
      await journalEverything(db);
      return firstRound(config);
    }
    if (local?.onboarded && previous?.teamId !== signed.teamId) {
      throw conflict(
        'This computer already holds an account of its own. Joining a team replaces it with the team’s: export what you want to keep (Import & export), then join from a new profile, or ask your manager to import your plans.',
      );
    }
    if (!onServer) throw conflict('The team on this server has no data yet: the manager who set it up must connect first.');
    // A new computer: the placeholder profile of the first run gives way to the team's people.
    if (!local?.onboarded) {
      await db.transaction('rw', db.users, async () => {
        db.syncJournalNotes.markInbound();
        await db.users.clear();
      });
    }
    await saveConfig(config);
    db.syncJournalNotes.enabled = true;
    if (previous?.teamId === signed.teamId) await journalEverything(db);
    return firstRound(config);
  }

  return {
    async 'sync.status'() {
      return sync.status();
    },

    async 'sync.test'({ url, user, password }) {
      await host.call('secrets.set', { name: TEST_SECRET, value: password });
      try {
        const signed = await signIn(deps, { url: normalizeUrl(url), user, passwordSecret: TEST_SECRET });
        const { json } = await couchJson<{ version?: string; vendor?: { name?: string } }>(host, { url, user: null }, 'GET', '');
        const server = `${json?.vendor?.name ?? 'CouchDB'} ${json?.version ?? ''}`.trim();
        return {
          message: `Connected to ${server} as ${user}: ${roleLabel[signed.role].toLowerCase()} of team "${signed.teamId}".`,
          teamId: signed.teamId,
          role: signed.role,
        };
      } finally {
        await host.call('secrets.delete', { name: TEST_SECRET }).catch(() => undefined);
      }
    },

    async 'sync.connect'({ url, user, password, deviceName }) {
      return connect(url, user, password, deviceName, 'any');
    },

    async 'sync.disconnect'() {
      await sync.end();
      await db.settings.delete(CONFIG_KEY);
      await db.syncJournal.clear();
      return sync.status();
    },

    async 'sync.now'() {
      const session = sync.session;
      if (!session) throw conflict('This computer is not connected to a team server (Settings → Team server).');
      await session.runOnce();
      return session.status();
    },

    async 'sync.conflicts'({ limit }) {
      return (await db.syncConflicts.orderBy('at').reverse().limit(limit).toArray()).map(({ id, at, kind, summary }) => ({
        id,
        at,
        kind,
        summary,
      }));
    },

    async 'sync.setupTeam'({ url, adminUser, adminPassword, teamId, login, password, deviceName }, { user }) {
      assertServerId(user);
      const id = teamId ?? randomId('t');
      const dbs = teamDatabases(id);
      await withAdmin({ host, url, adminUser, adminPassword }, async (auth) => {
        await setUpTeamDatabases(host, auth, dbs);
        await setUpPerson(host, auth, dbs, { userId: user.id, role: user.role, login, password });
      });
      return connect(url, login, password, deviceName, 'setup');
    },

    async 'sync.invite'({ url, adminUser, adminPassword, userId, login, password }) {
      const config = await sync.config();
      if (!config) throw conflict('Connect this computer to the team server first (Settings → Team server).');
      const person = await db.users.get(userId);
      if (!person) throw notFound('User', userId);
      assertServerId(person);
      await withAdmin({ host, url, adminUser, adminPassword }, (auth) =>
        setUpPerson(host, auth, teamDatabases(config.teamId), { userId: person.id, role: person.role, login, password }),
      );
      return { login };
    },
  };
}

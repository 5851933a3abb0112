import type { HostTransport } from '@shared/contract/host';
import type { Role } from '@shared/model/team';
import type { SecurityObject, TeamDatabases } from '@shared/sync/server';
import {
  DESIGN_DOC_ID,
  forUserFilter,
  leadsSecurity,
  leadsValidation,
  ownLeadsValidation,
  ownSecurity,
  personalValidation,
  serverRoles,
  teamSecurity,
  teamValidation,
  toTeamFilter,
} from '@shared/sync/server';
import { couchJson, couchReason, normalizeUrl, ServerError, TEAM_ADMIN_SECRET } from './couch';

/**
 * The manager's setup calls, made with the server administrator's name and password (kept in the
 * host's secret store for the length of the call only): databases, who may use them, the server's
 * own checks (validate_doc_update) and its replications between the team's leads and each person's.
 */
export interface AdminAccess {
  host: HostTransport;
  url: string;
  adminUser: string;
  adminPassword: string;
}

/** The administrator's sign-in for one setup call; the password is needed in the server's own replication addresses. */
type Auth = { url: string; user: string; passwordSecret: string; password: string };

export async function withAdmin<T>(access: AdminAccess, body: (auth: Auth) => Promise<T>): Promise<T> {
  await access.host.call('secrets.set', { name: TEAM_ADMIN_SECRET, value: access.adminPassword });
  try {
    const auth = {
      url: normalizeUrl(access.url),
      user: access.adminUser,
      passwordSecret: TEAM_ADMIN_SECRET,
      password: access.adminPassword,
    };
    const { status, json } = await couchJson<{ userCtx?: { roles?: string[] } }>(access.host, auth, 'GET', '_session');
    if (status === 401) throw new ServerError('The server refused the administrator’s name or password.', 401, 'unauthorized');
    if (!json?.userCtx?.roles?.includes('_admin')) {
      throw new ServerError(`${access.adminUser} is not an administrator of this server: setting up a team needs one.`, 403, 'not_admin');
    }
    return await body(auth);
  } finally {
    await access.host.call('secrets.delete', { name: TEAM_ADMIN_SECRET }).catch(() => undefined);
  }
}

async function expect(host: HostTransport, auth: Auth, method: 'PUT' | 'DELETE', path: string, body: unknown, ok: number[]): Promise<void> {
  const { status, json } = await couchJson(host, auth, method, path, body);
  if (!ok.includes(status)) {
    const { reason } = couchReason(json);
    throw new ServerError(`The server refused to set up ${path.split('/')[0]}: ${reason} (HTTP ${status}).`, status, reason);
  }
}

async function putWithRev(host: HostTransport, auth: Auth, path: string, doc: Record<string, unknown>): Promise<void> {
  const { status, json } = await couchJson<{ _rev?: string }>(host, auth, 'GET', path);
  const rev = status === 200 ? json?._rev : undefined;
  await expect(host, auth, 'PUT', path, rev ? { ...doc, _rev: rev } : doc, [200, 201, 202]);
}

async function database(
  host: HostTransport,
  auth: Auth,
  name: string,
  security: SecurityObject,
  design: Record<string, unknown>,
): Promise<void> {
  await expect(host, auth, 'PUT', encodeURIComponent(name), undefined, [201, 202, 412]);
  await expect(host, auth, 'PUT', `${encodeURIComponent(name)}/_security`, security, [200]);
  await putWithRev(host, auth, `${encodeURIComponent(name)}/${DESIGN_DOC_ID}`, { _id: DESIGN_DOC_ID, language: 'javascript', ...design });
}

/** The team's shared databases. */
export async function setUpTeamDatabases(host: HostTransport, auth: Auth, dbs: TeamDatabases): Promise<void> {
  await database(host, auth, dbs.team, teamSecurity(dbs.prefix), { validate_doc_update: teamValidation(dbs.prefix) });
  await database(host, auth, dbs.leads, leadsSecurity(dbs.prefix), {
    validate_doc_update: leadsValidation(dbs.prefix),
    filters: { forUser: forUserFilter },
  });
}

/**
 * One person on the server: their sign-in with their team roles, their personal plans' database and,
 * for agents and lenders, their leads' database with the server's replications to and from the team's.
 */
export async function setUpPerson(
  host: HostTransport,
  auth: Auth,
  dbs: TeamDatabases,
  person: { userId: string; role: Role; login: string; password: string | null },
): Promise<void> {
  const userDoc = `_users/${encodeURIComponent(`org.couchdb.user:${person.login}`)}`;
  const { status, json } = await couchJson<Record<string, unknown>>(host, auth, 'GET', userDoc);
  const existing = status === 200 ? (json ?? {}) : {};
  const others = ((existing.roles as string[] | undefined) ?? []).filter((r) => !r.startsWith(dbs.prefix));
  await expect(
    host,
    auth,
    'PUT',
    userDoc,
    {
      ...existing,
      _id: `org.couchdb.user:${person.login}`,
      name: person.login,
      type: 'user',
      roles: [...others, ...serverRoles(dbs.prefix, person.userId, person.role)],
      ...(person.password ? { password: person.password } : {}),
    },
    [200, 201, 202],
  );
  await database(host, auth, dbs.personal(person.userId), ownSecurity(dbs.prefix, person.userId), {
    validate_doc_update: personalValidation(dbs.prefix),
  });
  if (person.role === 'agent' || person.role === 'lender') {
    const own = dbs.user(person.userId);
    await database(host, auth, own, ownSecurity(dbs.prefix, person.userId), {
      validate_doc_update: ownLeadsValidation(dbs.prefix),
      filters: { toTeam: toTeamFilter },
    });
    await replication(host, auth, `${own}-in`, dbs.leads, own, { filter: 'action-plans/forUser', query_params: { user: person.userId } });
    await replication(host, auth, `${own}-out`, own, dbs.leads, { filter: 'action-plans/toTeam' });
  }
}

/** A continuous replication the server runs itself, as its administrator. */
async function replication(
  host: HostTransport,
  auth: Auth,
  id: string,
  source: string,
  target: string,
  extra: Record<string, unknown>,
): Promise<void> {
  const base = new URL(normalizeUrl(auth.url));
  const at = (db: string): string => {
    const u = new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}/${encodeURIComponent(db)}`);
    u.username = encodeURIComponent(auth.user);
    u.password = encodeURIComponent(auth.password);
    return u.toString();
  };
  const path = `_replicator/${encodeURIComponent(id)}`;
  const { status, json } = await couchJson<{ _rev?: string }>(host, auth, 'GET', path);
  if (status === 200 && json?._rev) await expect(host, auth, 'DELETE', `${path}?rev=${json._rev}`, undefined, [200]);
  await expect(host, auth, 'PUT', path, { source: at(source), target: at(target), continuous: true, ...extra }, [200, 201, 202]);
}

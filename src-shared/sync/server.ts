import type { Role } from '../model/team';
import { DAILY_MANUAL_ASSIGNMENTS } from '../model/team';

/**
 * The team's databases on its CouchDB server, and what the server itself enforces there (database
 * security and validate_doc_update), so a client that ignores the app's own checks is refused by the
 * server. docs/design.md §9 has the picture. Functions are kept as source text: CouchDB runs them.
 *
 * One team = one prefix `ap-<team>-`:
 * - `<p>team`: account, people, settings, account plans, templates, routing rules, lists, Lead Routing
 *   Settings, computers, the daily manual-assignment counter. Every member reads; writes as the
 *   validation below says (settings: primary manager; account data: managers; own records: anyone).
 * - `<p>leads`: every lead with its enrollments, history and tasks. Managers only.
 * - `<p>u-<user>`: the leads one agent or lender is on, copied from and to `<p>leads` by the server's
 *   own replications (filtered by each document's `access`). That user only.
 * - `<p>p-<user>`: that user's personal plans. That user only: no other member, managers included.
 */
export interface TeamDatabases {
  prefix: string;
  team: string;
  leads: string;
  user(userId: string): string;
  personal(userId: string): string;
}

/** CouchDB database names: lower-case letters, digits and _$()+-/ ; must start with a letter. */
export const TEAM_ID_PATTERN = /^[a-z][a-z0-9]{2,30}$/;
export const USER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export function teamDatabases(teamId: string): TeamDatabases {
  const prefix = `ap-${teamId}-`;
  return {
    prefix,
    team: `${prefix}team`,
    leads: `${prefix}leads`,
    user: (id) => `${prefix}u-${id}`,
    personal: (id) => `${prefix}p-${id}`,
  };
}

/** The server roles of a person: membership, their role, and their own id (what the validation reads). */
export function serverRoles(prefix: string, userId: string, role: Role): string[] {
  const roleName = { primaryManager: 'primary', manager: 'manager', agent: 'agent', lender: 'lender' }[role];
  return [`${prefix}member`, `${prefix}${roleName}`, `${prefix}u-${userId}`];
}

/** Reads a session's roles back: the team prefix, the user's id and role, or null when the roles are not a team's. */
export function readServerRoles(roles: readonly string[]): { prefix: string; userId: string; role: Role } | null {
  const member = roles.find((r) => /^ap-[a-z0-9]+-member$/.test(r));
  if (!member) return null;
  const prefix = member.slice(0, -'member'.length);
  const own = roles.find((r) => r.startsWith(`${prefix}u-`));
  if (!own) return null;
  const role: Role | null = roles.includes(`${prefix}primary`)
    ? 'primaryManager'
    : roles.includes(`${prefix}manager`)
      ? 'manager'
      : roles.includes(`${prefix}agent`)
        ? 'agent'
        : roles.includes(`${prefix}lender`)
          ? 'lender'
          : null;
  return role ? { prefix, userId: own.slice(`${prefix}u-`.length), role } : null;
}

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

const members = (roles: string[]): SecurityObject => ({ admins: { names: [], roles: [] }, members: { names: [], roles } });

export const teamSecurity = (p: string): SecurityObject => members([`${p}member`]);
export const leadsSecurity = (p: string): SecurityObject => members([`${p}primary`, `${p}manager`]);
export const ownSecurity = (p: string, userId: string): SecurityObject => members([`${p}u-${userId}`]);

/** Shared head of every validation: admins (the server's own replications) pass; who is writing. */
const head = (p: string) => `
  if (userCtx.roles.indexOf('_admin') !== -1) return;
  var P = ${JSON.stringify(p)};
  var has = function (r) { return userCtx.roles.indexOf(P + r) !== -1; };
  if (!has('member')) throw({ forbidden: 'You are not a member of this team.' });
  var me = null;
  for (var i = 0; i < userCtx.roles.length; i++) if (userCtx.roles[i].indexOf(P + 'u-') === 0) me = userCtx.roles[i].slice(P.length + 2);
  var manager = has('manager') || has('primary');
  if (newDoc._id.indexOf('_design/') === 0) throw({ forbidden: 'Only the server administrator changes design documents.' });
  if (oldDoc && !newDoc._deleted && newDoc.kind !== oldDoc.kind) throw({ forbidden: 'A document cannot change its kind.' });
  var doc = newDoc._deleted ? oldDoc : newDoc;
  if (!doc) return;
  if (!newDoc._deleted && (typeof newDoc.kind !== 'string' || !newDoc.row || typeof newDoc.row !== 'object')) throw({ forbidden: 'This is not an Action Plans document.' });
`;

const contains = `var contains = function (list, x) { return !!list && list.indexOf(x) !== -1; };`;

/** validate_doc_update of `<p>team`. */
export function teamValidation(p: string): string {
  return `function (newDoc, oldDoc, userCtx, secObj) {${head(p)}
  var kind = doc.kind;
  if (kind === 'routingSettings' || kind === 'device') {
    if (manager) return;
    if (doc.row.userId !== me || (oldDoc && (!oldDoc.row || oldDoc.row.userId !== me))) throw({ forbidden: 'You can only change your own ' + (kind === 'device' ? 'computers.' : 'Lead Routing Settings.') });
    return;
  }
  if (kind === 'capDay') {
    var count = newDoc._deleted ? 0 : newDoc.row.count;
    if (newDoc._deleted && !manager) throw({ forbidden: 'The daily assignment counter cannot be removed.' });
    if (typeof count !== 'number' || count > ${DAILY_MANUAL_ASSIGNMENTS}) throw({ forbidden: 'The team may make only ${DAILY_MANUAL_ASSIGNMENTS} manual assignments to fully automated plans a day.' });
    if (oldDoc && !newDoc._deleted && count < (oldDoc.row || {}).count && !manager) throw({ forbidden: 'The daily assignment counter only counts up.' });
    return;
  }
  if (kind === 'setting' && doc.row.key === 'actionPlanSettings') {
    if (!has('primary')) throw({ forbidden: 'Only the primary manager can change the Action Plan Settings.' });
    return;
  }
  if (kind === 'plan' && doc.row.scope && doc.row.scope.kind !== 'account') throw({ forbidden: 'Personal plans are not shared with the team.' });
  if (kind === 'plan') { if (!manager) throw({ forbidden: 'Only managers can change account plans.' }); return; }
  if (kind === 'account' || kind === 'user' || kind === 'setting' || kind === 'template' || kind === 'routingRule') {
    if (!manager) throw({ forbidden: 'Only managers can change the team\\u2019s ' + ({ account: 'account', user: 'people', setting: 'lists', template: 'templates', routingRule: 'routing rules' })[kind] + '.' });
    return;
  }
  throw({ forbidden: 'A "' + kind + '" document does not belong in the team database.' });
}`;
}

const leadKindCheck = `
  var kinds = ['lead', 'enrollment', 'history', 'task'];
  if (kinds.indexOf(doc.kind) === -1) throw({ forbidden: 'A "' + doc.kind + '" document does not belong with the leads.' });
  if (!newDoc._deleted && !Array.isArray(newDoc.access)) throw({ forbidden: 'A lead document must say who is on the lead (access).' });
`;

/** validate_doc_update of `<p>leads` (managers; the server's replications pass as admin). */
export function leadsValidation(p: string): string {
  return `function (newDoc, oldDoc, userCtx, secObj) {${head(p)}
  if (!manager) throw({ forbidden: 'Only managers work with all of the team\\u2019s leads.' });
  ${leadKindCheck}
}`;
}

/**
 * validate_doc_update of `<p>u-<user>`: the user writes only documents of leads they are on (before
 * or after the change), never makes themselves or anyone else a lead's agent, and may remove only
 * their own copy of a lead they lost. Who just lost a lead may still write its enrollments, history
 * and tasks: the hand-over and the steps that ran there before the reassignment arrived.
 */
export function ownLeadsValidation(p: string): string {
  return `function (newDoc, oldDoc, userCtx, secObj) {${head(p)}
  ${contains}
  if (newDoc._deleted) {
    if (contains(oldDoc.access, me) || contains(oldDoc.revoked, me)) return;
    throw({ forbidden: 'You can only remove your own copy of a lead.' });
  }
  ${leadKindCheck}
  // Who just lost the lead (revoked) still hands over what ran on their computer before they knew.
  var was = oldDoc && (contains(oldDoc.access, me) || (doc.kind !== 'lead' && contains(oldDoc.revoked, me)));
  if (!contains(newDoc.access, me) && !was) throw({ forbidden: 'You can only change leads you work on.' });
  if (doc.kind === 'lead' && oldDoc && !manager) {
    var a = newDoc.row.assignees || {}, b = (oldDoc.row || {}).assignees || {};
    if (a.buyerAgent !== b.buyerAgent || a.listingAgent !== b.listingAgent) throw({ forbidden: 'Only managers can change who works a lead.' });
    if (a.lender !== b.lender && !has('agent')) throw({ forbidden: 'Only managers and the lead\\u2019s agent can change its lender.' });
  }
}`;
}

/** validate_doc_update of `<p>p-<user>`: that user's own personal plans, nothing else. */
export function personalValidation(p: string): string {
  return `function (newDoc, oldDoc, userCtx, secObj) {${head(p)}
  if (doc.kind !== 'plan' || !doc.row.scope || doc.row.scope.kind !== 'personal' || doc.row.scope.ownerUserId !== me) throw({ forbidden: 'Only your own personal plans are kept here.' });
}`;
}

/** In `<p>leads`: the documents that go to one user's database (their leads, and the lead they just lost). */
export const forUserFilter = `function (doc, req) {
  var u = req.query.user;
  return (!!doc.access && doc.access.indexOf(u) !== -1) || (!!doc.revoked && doc.revoked.indexOf(u) !== -1);
}`;

/**
 * In `<p>u-<user>`: what goes back to `<p>leads`. Never a deletion: the only deletions a user makes
 * there are of their own copy of a lead they lost (leads are deleted with a `gone` flag instead).
 */
export const toTeamFilter = `function (doc, req) {
  return !doc._deleted && doc._id.indexOf('_design/') !== 0;
}`;

export const DESIGN_DOC_ID = '_design/action-plans';

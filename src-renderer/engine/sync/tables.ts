import type { SyncKind } from '@shared/sync/docs';
import type { TeamDatabases } from '@shared/sync/server';
import { HERE } from '@shared/model/enrollment';
import type { Lead } from '@shared/model/lead';
import type { UserId } from '@shared/model/ids';
import type { Role } from '@shared/model/team';
import type { ReplicatedTable } from '../store/sync-journal';
import { leadSearchWords } from '../store/search-key';

/** Who this computer is on the team: what it may write and which databases it replicates. */
export interface SyncIdentity {
  userId: UserId;
  role: Role;
  deviceId: string;
  dbs: TeamDatabases;
}

export const isManager = (role: Role): boolean => role === 'manager' || role === 'primaryManager';

/** Settings rows the team shares; every other key (email account, sending rules, views) is this computer's own. */
export const SHARED_SETTINGS: ReadonlySet<string> = new Set(['actionPlanSettings', 'teamLists']);

/** A lead's fields each computer derives for itself (index and summary): never sent. */
const LEAD_LOCAL_FIELDS = [
  'searchWords',
  'nameKey',
  'assigneeIds',
  'planIds',
  'enrollmentStates',
  'activePlanCount',
  'nextDueAt',
  'lastActivityAt',
  'enrollmentBrief',
] as const;

type Row = Record<string, unknown>;

export interface TableSpec {
  table: ReplicatedTable;
  kind: SyncKind;
  /** The row as sent (null: this row is not shared). */
  toBody(row: Row, me: SyncIdentity): Row | null;
  /** The row as stored here from what arrived. */
  toRow(body: Row, me: SyncIdentity): Row;
}

const same = (row: Row): Row => row;

export const TABLE_SPECS: Record<ReplicatedTable, TableSpec> = {
  account: { table: 'account', kind: 'account', toBody: same, toRow: same },
  users: { table: 'users', kind: 'user', toBody: same, toRow: same },
  settings: {
    table: 'settings',
    kind: 'setting',
    toBody: (row) => (SHARED_SETTINGS.has(String(row.key)) ? row : null),
    toRow: same,
  },
  plans: { table: 'plans', kind: 'plan', toBody: same, toRow: same },
  templates: { table: 'templates', kind: 'template', toBody: same, toRow: same },
  routingRules: { table: 'routingRules', kind: 'routingRule', toBody: same, toRow: same },
  leadRoutingSettings: { table: 'leadRoutingSettings', kind: 'routingSettings', toBody: same, toRow: same },
  // The daily counter is taken on the server itself (sync/team-quota.ts), never through the mirror.
  assignmentDays: { table: 'assignmentDays', kind: 'capDay', toBody: () => null, toRow: same },
  devices: { table: 'devices', kind: 'device', toBody: same, toRow: same },
  leads: {
    table: 'leads',
    kind: 'lead',
    toBody: (row) => {
      const body = { ...row };
      for (const f of LEAD_LOCAL_FIELDS) delete body[f];
      return body;
    },
    toRow: (body) => ({ ...body, searchWords: leadSearchWords(body as unknown as Lead) }),
  },
  enrollments: {
    table: 'enrollments',
    kind: 'enrollment',
    // "here" travels as this computer's id, and comes back as "here" on this computer only.
    toBody: (row, me) => ({ ...row, runner: row.runner === undefined || row.runner === HERE ? me.deviceId : row.runner }),
    toRow: (body, me) => ({ ...body, runner: body.runner === me.deviceId ? HERE : (body.runner ?? 'unknown') }),
  },
  history: { table: 'history', kind: 'history', toBody: same, toRow: same },
  tasks: { table: 'tasks', kind: 'task', toBody: same, toRow: same },
};

export const SPEC_OF_KIND = Object.fromEntries(Object.values(TABLE_SPECS).map((s) => [s.kind, s])) as Record<SyncKind, TableSpec>;

/** The row key of a body (each table's primary key). */
export function keyOf(spec: TableSpec, body: Row): string {
  switch (spec.table) {
    case 'settings':
      return String(body.key);
    case 'leadRoutingSettings':
      return String(body.userId);
    case 'assignmentDays':
      return String(body.day);
    default:
      return String(body.id);
  }
}

/** Who is on a lead: its buyer agent, listing agent and lender (managers see every lead anyway). */
export function accessOf(lead: { assignees?: Partial<Record<string, string | undefined>> } | undefined): string[] {
  const a = lead?.assignees ?? {};
  return [...new Set([a.buyerAgent, a.listingAgent, a.lender].filter((v): v is NonNullable<typeof v> => !!v))].sort();
}

/** Which of this computer's databases a document of `kind` goes to; null when it is not shared from here. */
export function databaseOf(kind: SyncKind, body: Row, me: SyncIdentity): string | null {
  switch (kind) {
    case 'lead':
    case 'enrollment':
    case 'history':
    case 'task':
      return isManager(me.role) ? me.dbs.leads : me.dbs.user(me.userId);
    case 'plan': {
      const scope = body.scope as { kind?: string; ownerUserId?: string } | undefined;
      if (scope?.kind === 'personal') return scope.ownerUserId === me.userId ? me.dbs.personal(me.userId) : null;
      return me.dbs.team;
    }
    default:
      return me.dbs.team;
  }
}

/**
 * Why this computer must not send this change, in the words of the server's own rule (which refuses
 * it too, sync/server in src-shared), or null when it may. Checked before a row goes to the mirror,
 * so the app never pushes what the server will refuse.
 */
export function refusalOf(
  kind: SyncKind,
  body: Row,
  me: SyncIdentity,
  access: string[] | null,
  before: string[] | null = null,
): string | null {
  const manager = isManager(me.role);
  switch (kind) {
    case 'setting':
      return body.key === 'actionPlanSettings' && me.role !== 'primaryManager'
        ? 'Only the primary manager can change the Action Plan Settings.'
        : !manager && body.key !== 'actionPlanSettings'
          ? 'Only managers can change the team’s lists.'
          : null;
    case 'plan':
      return (body.scope as { kind?: string } | undefined)?.kind === 'account' && !manager
        ? 'Only managers can change account plans.'
        : null;
    case 'account':
    case 'user':
    case 'template':
    case 'routingRule':
      return manager ? null : 'Only managers can change the team’s account, people, templates and routing rules.';
    case 'routingSettings':
    case 'device':
      return manager || body.userId === me.userId ? null : 'You can only change your own settings and computers.';
    case 'capDay':
      return 'The daily counter is taken on the server itself.';
    case 'lead':
    case 'enrollment':
    case 'history':
    case 'task':
      return manager || (access ?? []).includes(me.userId) || (before ?? []).includes(me.userId)
        ? null
        : 'You can only change leads you work on.';
  }
}

/** Whether documents of `kind` may arrive from database `db` (anything else from the server is ignored, reported). */
export function belongsIn(kind: SyncKind, body: Row, db: string, me: SyncIdentity): boolean {
  if (db === me.dbs.team)
    return kind !== 'lead' && kind !== 'enrollment' && kind !== 'history' && kind !== 'task' && !isPersonalPlan(kind, body);
  if (db === me.dbs.personal(me.userId)) return kind === 'plan' && isPersonalPlan(kind, body) && ownerOf(body) === me.userId;
  return kind === 'lead' || kind === 'enrollment' || kind === 'history' || kind === 'task';
}

const isPersonalPlan = (kind: SyncKind, body: Row): boolean =>
  kind === 'plan' && (body.scope as { kind?: string } | undefined)?.kind === 'personal';
const ownerOf = (body: Row): unknown => (body.scope as { ownerUserId?: unknown } | undefined)?.ownerUserId;

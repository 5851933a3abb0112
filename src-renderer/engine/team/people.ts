import Dexie from 'dexie';
import type { LeadId, UserId } from '@shared/model/ids';
import type { User, UserInput } from '@shared/model/team';
import { canReceiveRoutedLeads } from '@shared/model/team';
import { conflict } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { leadIndexOf } from '../leads/lead-index';
import { leadsOfLender } from '../store/queries';

/**
 * What still depends on a person: removing them (or changing their role) must never leave a lead,
 * a task or a running plan without its person, so these are refused with the counts instead.
 */
export interface Dependents {
  leads: number;
  openTasks: number;
  liveEnrollments: number;
  rules: string[];
  preferredLenderOf: string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const names = (list: string[]): string => list.map((n) => `“${n}”`).join(', ');

async function rulesRoutingTo(deps: EngineDeps, user: User): Promise<string[]> {
  return (await deps.db.routingRules.toArray()).filter((r) => r.assigneeIds.includes(user.id)).map((r) => r.name);
}

/** Who picked this person as preferred lender in their Lead Routing Settings (defaults or any rule). */
async function pickedAsLenderBy(deps: EngineDeps, user: User): Promise<string[]> {
  const { db } = deps;
  const settings = await db.leadRoutingSettings.toArray();
  const ids = settings
    .filter((s) => s.defaults.lenderId === user.id || Object.values(s.perRule).some((c) => c.lenderId === user.id))
    .map((s) => s.userId);
  const users = await db.users.bulkGet(ids);
  return users.flatMap((u) => (u ? [u.name] : []));
}

/**
 * The leads where `userId` is buyer agent, listing agent or lender (`assigneeIds`, store/lead-derived.ts):
 * from the engine's lead index (the team handlers build it before their transaction), else by reading
 * every lead. Inside the caller's transaction nothing else can change the leads.
 */
async function leadsWorkedBy(deps: EngineDeps, userId: UserId): Promise<LeadId[]> {
  return leadIndexOf(deps.db).workedBy(userId) ?? (await deps.db.leads.filter((l) => (l.assigneeIds ?? []).includes(userId)).primaryKeys());
}

export async function dependentsOf(deps: EngineDeps, user: User): Promise<Dependents> {
  const { db } = deps;
  const ownPlans = (await db.plans.toArray())
    .filter((p) => p.scope.kind === 'personal' && p.scope.ownerUserId === user.id)
    .map((p) => p.id);
  const live = await Promise.all(
    ownPlans.flatMap((planId) =>
      ['active', 'paused'].map((state) => db.enrollments.where('[planId+state]').equals([planId, state]).count()),
    ),
  );
  return {
    leads: (await leadsWorkedBy(deps, user.id)).length,
    openTasks: await db.tasks
      .where('[assigneeId+status+dueAt]')
      .between([user.id, 'open', Dexie.minKey], [user.id, 'open', Dexie.maxKey])
      .count(),
    liveEnrollments: live.reduce((a, b) => a + b, 0),
    rules: await rulesRoutingTo(deps, user),
    preferredLenderOf: await pickedAsLenderBy(deps, user),
  };
}

/** Refuses a removal while anything depends on the person, saying what and how much. */
export async function assertRemovable(deps: EngineDeps, user: User, by: User): Promise<void> {
  if (user.role === 'primaryManager') {
    throw conflict(`${user.name} is the primary manager and cannot be removed: a team always has exactly one.`, { userId: user.id });
  }
  if (user.id === by.id) {
    throw conflict('You cannot remove yourself. Switch to another manager’s profile to do it.', { userId: user.id });
  }
  const d = await dependentsOf(deps, user);
  const reasons = [
    d.leads ? `works ${plural(d.leads, 'lead')} (as buyer agent, listing agent or lender): give them to someone else` : '',
    d.openTasks ? `has ${plural(d.openTasks, 'open task')}: finish or reassign them` : '',
    d.liveEnrollments ? `has ${plural(d.liveEnrollments, 'lead')} running in their personal plans: remove them from those plans` : '',
    d.rules.length ? `receives leads from the routing ${d.rules.length === 1 ? 'rule' : 'rules'} ${names(d.rules)}: take them off` : '',
    d.preferredLenderOf.length ? `is the preferred lender of ${d.preferredLenderOf.join(', ')}: they pick another lender` : '',
  ].filter(Boolean);
  if (reasons.length) {
    throw conflict(`${user.name} cannot be removed yet, so that nothing is lost. ${user.name} ${reasons.join('; ')}. Then try again.`, {
      userId: user.id,
      ...d,
    });
  }
}

/** The role changes that would break a rule of the team are refused in words (the name and email always change). */
export async function assertRoleChange(deps: EngineDeps, before: User, fields: UserInput): Promise<void> {
  if (before.role === fields.role) return;
  if (before.role === 'primaryManager') {
    throw conflict(`${before.name} is the primary manager and stays one: a team always has exactly one primary manager.`, {
      userId: before.id,
      role: fields.role,
    });
  }
  if (fields.role === 'primaryManager') {
    throw conflict(`A team has exactly one primary manager, so ${before.name} can be a manager, agent or lender, not primary manager.`, {
      userId: before.id,
      role: fields.role,
    });
  }
  if (!canReceiveRoutedLeads(fields.role)) {
    const rules = await rulesRoutingTo(deps, before);
    if (rules.length) {
      throw conflict(
        `${before.name} cannot become a lender while the routing ${rules.length === 1 ? 'rule' : 'rules'} ${names(rules)} ${rules.length === 1 ? 'sends' : 'send'} leads to them (lenders do not receive routed leads): take them off first.`,
        { userId: before.id, role: fields.role, rules },
      );
    }
  }
  // A lead's buyer and listing agents are agents or managers, its lender is a lender: a role change
  // must not leave leads with the wrong kind of person (who would then no longer see them).
  if (fields.role === 'lender') {
    const rows = await deps.db.leads.bulkGet(await leadsWorkedBy(deps, before.id));
    const working = rows.filter((l) => l?.assignees.buyerAgent === before.id || l?.assignees.listingAgent === before.id).length;
    if (working) {
      throw conflict(
        `${before.name} cannot become a lender while they are the buyer or listing agent of ${plural(working, 'lead')}: give those leads to another agent first (in Leads, select them and use Assign buyer agent or Assign listing agent).`,
        { userId: before.id, role: fields.role, leads: working },
      );
    }
  }
  if (before.role === 'lender') {
    const lending = await leadsOfLender(deps.db, before.id).count();
    if (lending) {
      throw conflict(
        `${before.name} cannot stop being a lender while they are the lender of ${plural(lending, 'lead')}: give those leads another lender first (in Leads, select them and use Assign lender).`,
        { userId: before.id, role: fields.role, leads: lending },
      );
    }
    const by = await pickedAsLenderBy(deps, before);
    if (by.length) {
      throw conflict(
        `${before.name} cannot stop being a lender while ${by.join(', ')} ${by.length === 1 ? 'has' : 'have'} them as preferred lender in Lead Routing Settings: they pick another lender first.`,
        { userId: before.id, role: fields.role, preferredLenderOf: by },
      );
    }
  }
}

import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { ActionPlanSettings, Role, TeamAction, User } from '@shared/model/team';
import { effectiveSettings, roleLabel, TEAM_ACTIONS } from '@shared/model/team';
import { AppError } from '@shared/rpc/errors';

/**
 * Who may do what: one table, role × action → always, never, or "when one of these Action Plan
 * Settings is on" (DESIGN §3). Every check in the engine and every hidden button in the UI
 * comes from here; the matrix test walks every cell.
 */
export type Toggle = keyof ActionPlanSettings;
export type Requirement = 'always' | 'never' | readonly Toggle[];

export const ACTIONS = TEAM_ACTIONS;
export type Action = TeamAction;

export const ROLES: readonly Role[] = ['primaryManager', 'manager', 'agent', 'lender'];

export const PERMISSIONS: Record<Action, Record<Role, Requirement>> = {
  manageActionPlanSettings: { primaryManager: 'always', manager: 'never', agent: 'never', lender: 'never' },
  manageUsers: { primaryManager: 'always', manager: 'always', agent: 'never', lender: 'never' },
  manageRoutingRules: { primaryManager: 'always', manager: 'always', agent: 'never', lender: 'never' },
  exportTeamFile: { primaryManager: 'always', manager: 'always', agent: 'never', lender: 'never' },
  editAccountPlans: { primaryManager: 'always', manager: 'always', agent: 'never', lender: 'never' },
  createPersonalPlans: { primaryManager: 'always', manager: 'always', agent: ['personalPlans'], lender: 'never' },
  // Traditional plans turn messages into tasks for an agent to send by hand: not a lender's job.
  assignTraditionalPlans: { primaryManager: 'always', manager: 'always', agent: 'always', lender: 'never' },
  assignFullyAutomatedPlans: {
    primaryManager: 'always',
    manager: 'always',
    agent: ['manualAutomated'],
    lender: ['manualAutomated'],
  },
  // A lender picks neither a personal plan nor a preferred lender: nothing to set there.
  editLeadRoutingSettings: {
    primaryManager: ['personalPlans', 'preferredLender'],
    manager: ['personalPlans', 'preferredLender'],
    agent: ['personalPlans', 'preferredLender'],
    lender: 'never',
  },
  chooseRoutingPlan: { primaryManager: ['personalPlans'], manager: ['personalPlans'], agent: ['personalPlans'], lender: 'never' },
  choosePreferredLender: {
    primaryManager: ['preferredLender'],
    manager: ['preferredLender'],
    agent: ['preferredLender'],
    lender: 'never',
  },
  viewAllLeads: { primaryManager: 'always', manager: 'always', agent: 'always', lender: 'never' },
};

export const toggleLabel: Record<Toggle, string> = {
  personalPlans: 'Allow users to create personal action plans',
  preferredLender: 'Allow users to select a preferred lender',
  manualAutomated: 'Allow agents and lenders to manually assign leads to fully automated plans',
};

const actionWords: Record<Action, string> = {
  manageActionPlanSettings: 'change Action Plan Settings',
  manageUsers: 'add, edit or remove people on the team',
  manageRoutingRules: 'edit routing rules',
  exportTeamFile: 'export the team file',
  editAccountPlans: 'create, edit or lock account plans',
  createPersonalPlans: 'create or edit personal plans',
  assignTraditionalPlans: 'assign leads to traditional plans',
  assignFullyAutomatedPlans: 'manually assign leads to fully automated plans',
  editLeadRoutingSettings: 'use Lead Routing Settings',
  chooseRoutingPlan: 'pick a personal plan for routed leads',
  choosePreferredLender: 'pick a preferred lender',
  viewAllLeads: 'see every lead',
};

/** Why a role never may, where the table alone would leave a user guessing. */
const neverBecause: Partial<Record<Action, string>> = {
  assignTraditionalPlans: 'Traditional plans turn messages into tasks an agent sends by hand.',
  createPersonalPlans: 'Lenders work the leads where they are the lender, with account plans.',
  editLeadRoutingSettings: 'Lenders get leads as someone’s preferred lender, not through routing.',
  chooseRoutingPlan: 'Lenders get leads as someone’s preferred lender, not through routing.',
  choosePreferredLender: 'Lenders get leads as someone’s preferred lender, not through routing.',
  viewAllLeads: 'Lenders see the leads where they are the lender.',
};

const plural = (role: Role): string => (role === 'primaryManager' ? 'the primary manager' : `${roleLabel[role].toLowerCase()}s`);

/** "managers" covers the primary manager too; the primary manager alone is named as such. */
function whoMay(action: Action): string {
  const roles = ROLES.filter((r) => PERMISSIONS[action][r] !== 'never');
  const named = roles.includes('manager') ? roles.filter((r) => r !== 'primaryManager') : roles;
  return named.map(plural).join(' and ');
}

export function permissionDenied(message: string, details: Record<string, unknown>): AppError {
  return new AppError('PermissionDenied', message, details);
}

/** Null when allowed; otherwise the exact PermissionDenied the engine throws (and the UI shows). */
export function denial(action: Action, role: Role, settings: ActionPlanSettings): AppError | null {
  const need = PERMISSIONS[action][role];
  if (need === 'always') return null;
  if (need === 'never') {
    const why = neverBecause[action] ? ` ${neverBecause[action]}` : '';
    return permissionDenied(`Only ${whoMay(action)} can ${actionWords[action]}; you are signed in as ${roleArticle(role)}.${why}`, {
      action,
      role,
    });
  }
  const on = effectiveSettings(settings);
  if (need.some((t) => on[t])) return null;
  const subject = role === 'primaryManager' ? 'You' : capitalized(plural(role));
  const names = need.map((t) => `"${toggleLabel[t]}"`).join(' or ');
  const off = need.length === 1 ? 'It is off' : 'Both are off';
  const it = need.length === 1 ? 'it' : 'one';
  const fix = role === 'primaryManager' ? `you can turn ${it} on` : `only the primary manager can turn ${it} on`;
  return permissionDenied(
    `${subject} can ${actionWords[action]} only while ${names} is on. ${off}; ${fix} in Team → Action Plan Settings.`,
    {
      action,
      role,
      requires: [...need],
    },
  );
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function roleArticle(role: Role): string {
  const label = roleLabel[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
}

export function can(action: Action, role: Role, settings: ActionPlanSettings): boolean {
  return denial(action, role, settings) === null;
}

export function assertCan(action: Action, user: User, settings: ActionPlanSettings): void {
  const err = denial(action, user.role, settings);
  if (err) throw err;
}

// --- Rules that also depend on the data (whose plan, whose lead) ---

export function canSeeLead(user: User, lead: Pick<Lead, 'assignees'>, settings: ActionPlanSettings): boolean {
  return can('viewAllLeads', user.role, settings) || lead.assignees.lender === user.id;
}

export function assertSeesLead(user: User, lead: Pick<Lead, 'assignees' | 'id'>, settings: ActionPlanSettings): void {
  if (!canSeeLead(user, lead, settings)) {
    throw permissionDenied('You can only open leads where you are the lender.', { action: 'viewLead', leadId: lead.id });
  }
}

/** Personal plans are visible and usable only by their creator; account plans by everyone. */
export function canSeePlan(user: User, plan: Pick<Plan, 'scope'>): boolean {
  return plan.scope.kind === 'account' || plan.scope.ownerUserId === user.id;
}

export function assertSeesPlan(user: User, plan: Pick<Plan, 'scope' | 'id' | 'name'>): void {
  if (!canSeePlan(user, plan)) {
    throw permissionDenied('This is someone else’s personal plan: only its creator can see or use it.', {
      action: 'viewPlan',
      planId: plan.id,
    });
  }
}

/** Who may save a plan with this scope (create, edit, change status, delete). Locked plans are never edited. */
export function assertEditsPlan(user: User, plan: Pick<Plan, 'scope' | 'locked' | 'name'>, settings: ActionPlanSettings): void {
  if (plan.scope.kind === 'personal') {
    if (plan.scope.ownerUserId !== user.id) {
      throw permissionDenied('You can only create or edit your own personal plans.', { action: 'editPlan' });
    }
    assertCan('createPersonalPlans', user, settings);
    return;
  }
  assertCan('editAccountPlans', user, settings);
}

export function assertNotLocked(user: User, plan: Pick<Plan, 'locked' | 'name' | 'scope'>, settings: ActionPlanSettings): void {
  if (!plan.locked) return;
  const hint = can('editAccountPlans', user.role, settings)
    ? 'Unlock it first to change it.'
    : 'You can view it step by step or duplicate it as a personal plan.';
  throw permissionDenied(`"${plan.name}" is locked: it is read-only. ${hint}`, { action: 'editLockedPlan' });
}

/** Whether a manual assignment counts toward the account's daily cap (agents and lenders into fully automated plans). */
export function countsTowardCap(user: User, plan: Pick<Plan, 'type'>): boolean {
  return plan.type === 'fullyAutomated' && (user.role === 'agent' || user.role === 'lender');
}

/** The plan-level half of a manual assignment: the user sees the plan and may assign to its type. */
export function assertMayAssignPlan(user: User, plan: Pick<Plan, 'scope' | 'type' | 'id' | 'name'>, settings: ActionPlanSettings): void {
  assertSeesPlan(user, plan);
  assertCan(plan.type === 'fullyAutomated' ? 'assignFullyAutomatedPlans' : 'assignTraditionalPlans', user, settings);
}

/** May this user put this lead in this plan by hand? Returns whether it counts toward the daily cap. */
export function assertMayAssign(
  user: User,
  plan: Pick<Plan, 'scope' | 'type' | 'id' | 'name'>,
  lead: Pick<Lead, 'assignees' | 'id'>,
  settings: ActionPlanSettings,
): { counted: boolean } {
  assertSeesLead(user, lead, settings);
  assertMayAssignPlan(user, plan, settings);
  if (plan.scope.kind === 'personal') {
    const { buyerAgent, listingAgent, lender } = lead.assignees;
    if (![buyerAgent, listingAgent, lender].includes(user.id)) {
      throw permissionDenied('You can assign a lead to your personal plan only when you are its buyer agent, listing agent or lender.', {
        action: 'assignPersonalPlan',
        leadId: lead.id,
        planId: plan.id,
      });
    }
  }
  return { counted: countsTowardCap(user, plan) };
}

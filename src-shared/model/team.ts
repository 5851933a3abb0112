import { z } from 'zod';
import type { EpochMs, UserId } from './ids';
import { planId, userId } from './ids';

export const roleSchema = z.enum(['primaryManager', 'manager', 'agent', 'lender']);
export type Role = z.infer<typeof roleSchema>;

export const roleLabel: Record<Role, string> = {
  primaryManager: 'Primary manager',
  manager: 'Manager',
  agent: 'Agent',
  lender: 'Lender',
};

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
  /** False until someone chose "I work alone" or imported a team file on the first-run screen. */
  onboarded?: boolean;
}

/**
 * The three Action Plan Settings of DESIGN §3, set by the primary manager only.
 * Toggle 1 (personalPlans) also turns on toggle 3 (manualAutomated): see `effectiveSettings`.
 */
export const actionPlanSettingsSchema = z.object({
  personalPlans: z.boolean(),
  preferredLender: z.boolean(),
  manualAutomated: z.boolean(),
});
export type ActionPlanSettings = z.infer<typeof actionPlanSettingsSchema>;

export const defaultActionPlanSettings: ActionPlanSettings = { personalPlans: false, preferredLender: false, manualAutomated: false };

/** Toggle 1 turns on toggle 3; the stored value of toggle 3 is kept for when toggle 1 goes off again. */
export function effectiveSettings(s: ActionPlanSettings): ActionPlanSettings {
  return { ...s, manualAutomated: s.manualAutomated || s.personalPlans };
}

/** Lead Routing Settings appear when toggle 1 or toggle 2 is on. */
export const leadRoutingSettingsVisible = (s: ActionPlanSettings): boolean => s.personalPlans || s.preferredLender;

/** How many manual assignments the whole account may make in one day (in the account's zone). */
export const DAILY_MANUAL_ASSIGNMENTS = 50;

const name = z.string().trim();

/** What the permission table decides (engine/team/permissions.ts); the UI asks which ones the current user has. */
export const TEAM_ACTIONS = [
  'manageActionPlanSettings',
  'manageUsers',
  'manageRoutingRules',
  'exportTeamFile',
  'editAccountPlans',
  'createPersonalPlans',
  'assignTraditionalPlans',
  'assignFullyAutomatedPlans',
  'editLeadRoutingSettings',
  'chooseRoutingPlan',
  'choosePreferredLender',
  'viewAllLeads',
] as const;
export type TeamAction = (typeof TEAM_ACTIONS)[number];

/** A routing rule: every condition that is set must match; an empty rule list of conditions matches any lead. */
export const routingRuleInputSchema = z.object({
  name: name.min(1, 'Give the rule a name').max(120),
  isDefault: z.boolean().default(false),
  conditions: z
    .object({
      sources: z.array(name.min(1)).default([]),
      tags: z.array(name.min(1)).default([]),
      minPrice: z.number().min(0).optional(),
      maxPrice: z.number().min(0).optional(),
      cities: z.array(name.min(1)).default([]),
      zips: z.array(name.min(1)).default([]),
    })
    .default({ sources: [], tags: [], cities: [], zips: [] })
    .refine((c) => c.minPrice === undefined || c.maxPrice === undefined || c.minPrice <= c.maxPrice, {
      message: 'The lowest price must not be above the highest',
      path: ['minPrice'],
    }),
  assigneeIds: z.array(userId).min(1, 'Pick at least one person to route leads to'),
});
export type RoutingRuleInput = z.input<typeof routingRuleInputSchema>;

export interface RoutingRule extends z.output<typeof routingRuleInputSchema> {
  id: string;
  /** Round robin: index into assigneeIds of the next person to receive a lead (durable). */
  nextIndex: number;
  /** Rules are tried in this order; the default rule is tried last. */
  order: number;
  createdAt: EpochMs;
}

const choice = z.object({ planId: planId.nullable().default(null), lenderId: userId.nullable().default(null) });
export type RoutingChoice = z.output<typeof choice>;

/** A user's Lead Routing Settings: per rule where they are an assignee, and their defaults. */
export const leadRoutingSettingsInputSchema = z.object({
  defaults: choice.default({ planId: null, lenderId: null }),
  perRule: z.record(z.string(), choice).default({}),
});
export type LeadRoutingSettingsInput = z.input<typeof leadRoutingSettingsInputSchema>;
export interface LeadRoutingSettings extends z.output<typeof leadRoutingSettingsInputSchema> {
  userId: UserId;
}

/**
 * Who a routing rule may hand leads to (DESIGN §2–§3): the routed person works the lead and their
 * Lead Routing Settings pick its personal plan and preferred lender. Lenders have no Lead Routing
 * Settings and no personal plans; they get routed leads as someone's preferred lender.
 */
export const canReceiveRoutedLeads = (role: Role): boolean => role !== 'lender';
export const lendersNotRoutedReason =
  'Lenders are not picked here: routing gives leads to agents and managers, and a lender joins a routed lead as that person’s preferred lender (Lead Routing Settings).';

export const userInputSchema = z.object({
  name: name.min(1, 'Enter a name').max(100),
  email: z.union([z.literal(''), name.toLowerCase().pipe(z.email('Email address is not valid'))]).default(''),
  role: roleSchema,
});
export type UserInput = z.input<typeof userInputSchema>;

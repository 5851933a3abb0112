import { z } from 'zod';
import { planId, userId } from '../model/ids';
import type { Plan } from '../model/plan';
import type { TeamFile } from '../model/team-file';
import type { ActionPlanSettings, TeamAction, User } from '../model/team';
import { actionPlanSettingsSchema, userInputSchema } from '../model/team';
import { timeZoneSchema } from '../model/lead';
import { method } from '../rpc/spec';

export interface QuotaView {
  /** The account day (YYYY-MM-DD in the account's zone) the counts are for. */
  day: string;
  used: number;
  limit: number;
  remaining: number;
}

/** What the current user may do now: the UI shows exactly these menus and buttons. */
export interface TeamRights {
  settings: ActionPlanSettings;
  /** The settings after the couplings (toggle 1 turns on toggle 3). */
  effective: ActionPlanSettings;
  leadRoutingSettingsVisible: boolean;
  can: Record<TeamAction, boolean>;
  quota: QuotaView;
}

export const teamContract = {
  'team.rights': method<TeamRights>()(z.object({})),
  'team.settings.set': method<TeamRights>()(actionPlanSettingsSchema),
  'team.users.add': method<User>()(userInputSchema),
  'team.users.update': method<User>()(z.object({ id: userId, fields: userInputSchema })),
  /** Refused (with the counts) while anything still depends on the person: their leads, rules, tasks, plans. */
  'team.users.remove': method<{ removed: true }>()(z.object({ id: userId })),
  /** First run, "I work alone": you become the primary manager of a one-person account. */
  'team.setupSolo': method<User>()(
    z.object({
      name: z.string().trim().min(1, 'Enter your name').max(100),
      email: z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email('Email address is not valid'))]).default(''),
      timeZone: timeZoneSchema,
    }),
  ),
  /** First run, "I'm on a team": the file's text, validated here; returns the team to pick a profile from. */
  'team.importFile': method<User[]>()(z.object({ text: z.string().max(20_000_000) })),
  'team.exportFile': method<TeamFile>()(z.object({})),
  /** Copies a plan the user can see (locked ones included) as their own personal draft. */
  'plans.duplicate': method<Plan>()(z.object({ id: planId, name: z.string().trim().min(1).max(200).optional() })),
  'plans.setLocked': method<Plan>()(z.object({ id: planId, locked: z.boolean() })),
};

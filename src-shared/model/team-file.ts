import { z } from 'zod';
import { planId, userId } from './ids';
import { planInputSchema } from './plan';
import { actionPlanSettingsSchema, roleSchema, routingRuleInputSchema } from './team';
import { timeZoneSchema } from './lead';

/**
 * The team file a manager exports and a teammate imports on first run ("I'm on a team"):
 * the account, its people and roles, settings, account plans, routing rules and lists.
 */
export const teamFileSchema = z.object({
  format: z.literal('action-plans-team', { error: 'This is not an Action Plans team file' }),
  version: z.literal(1, { error: 'This team file was made by a newer version of Action Plans' }),
  exportedAt: z.number(),
  account: z.object({ name: z.string().trim().min(1, 'The account needs a name'), timeZone: timeZoneSchema }),
  users: z
    .array(z.object({ id: userId, name: z.string().trim().min(1, 'Every user needs a name'), email: z.string(), role: roleSchema }))
    .min(1, 'The team file has no users')
    .refine((us) => us.filter((u) => u.role === 'primaryManager').length === 1, 'A team needs exactly one primary manager'),
  settings: actionPlanSettingsSchema,
  plans: z.array(z.intersection(z.object({ id: planId }), planInputSchema)),
  routingRules: z.array(z.intersection(z.object({ id: z.string().min(1) }), routingRuleInputSchema)),
  stages: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  sources: z.array(z.string()).default([]),
});
export type TeamFile = z.output<typeof teamFileSchema>;

import { z } from 'zod';
import { planInputSchema } from '@shared/model/plan';

/** A starter plan as shipped in resources/starter-plans: a plan without an owner, plus a description. */
export const starterPlanSchema = planInputSchema.omit({ scope: true }).extend({
  starter: z.string().min(1),
  description: z.string().min(1),
});
export type StarterPlan = z.infer<typeof starterPlanSchema>;

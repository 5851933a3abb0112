import { z } from 'zod';
import type { Plan } from '../model/plan';
import { planInputSchema, planStatusSchema } from '../model/plan';
import { planId } from '../model/ids';
import { method } from '../rpc/spec';
import type { EnrollmentState } from '../model/enrollment';

export interface PlanSummary {
  plan: Plan;
  counts: Record<Exclude<EnrollmentState, 'removed'>, number> & { engaged: number };
}

export const plansContract = {
  'plans.list': method<PlanSummary[]>()(z.object({})),
  'plans.get': method<Plan>()(z.object({ id: planId })),
  'plans.create': method<Plan>()(planInputSchema),
  'plans.update': method<Plan>()(z.object({ id: planId, plan: planInputSchema })),
  'plans.setStatus': method<Plan>()(z.object({ id: planId, status: planStatusSchema })),
  'plans.delete': method<{ deleted: true }>()(z.object({ id: planId })),
};

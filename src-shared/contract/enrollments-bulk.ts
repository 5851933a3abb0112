import { z } from 'zod';
import type { Enrollment } from '../model/enrollment';
import type { EnrollmentId } from '../model/ids';
import { enrollmentId, planId } from '../model/ids';
import { method } from '../rpc/spec';
import { enrollmentActionSchema } from './enrollments';

export const liveStateSchema = z.enum(['active', 'paused', 'stopped', 'completed']);
export type LiveState = z.infer<typeof liveStateSchema>;

/** One row of a plan's lead table for one state. */
export interface PlanLeadRow extends Enrollment {
  leadName: string;
  leadEmail: string;
  nextStepLabel: string | null;
}

export interface PlanLeadPage {
  rows: PlanLeadRow[];
  total: number;
}

/** What a bulk action did: how many changed, and each refusal with its reason. */
export interface BulkResult {
  total: number;
  done: number;
  refused: { id: EnrollmentId; reason: string }[];
}

export const enrollmentsBulkContract = {
  'enrollments.byPlanState': method<PlanLeadPage>()(
    z.object({
      planId,
      state: liveStateSchema,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
  ),
  /** Applies one action to many enrollments, each through the state machine; pushes `bulkProgress`. */
  'enrollments.bulkApply': method<BulkResult>()(
    z.object({
      ids: z.array(enrollmentId).min(1, 'Select at least one lead').max(200_000),
      action: enrollmentActionSchema,
      jobId: z.string().default(''),
    }),
  ),
  /** Removes every lead still in a plan, so the plan can be deleted. */
  'enrollments.removeAllFromPlan': method<BulkResult>()(z.object({ planId, jobId: z.string().default('') })),
};

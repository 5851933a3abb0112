import { z } from 'zod';
import type { Enrollment } from '../model/enrollment';
import type { EnrollmentId } from '../model/ids';
import { enrollmentId, leadId, planId } from '../model/ids';
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

/** What "Add to plan" did: leads enrolled, and the ones skipped (already in the plan, or not allowed again) with a sample reason. */
export interface EnrollLeadsResult {
  total: number;
  enrolled: number;
  skipped: number;
  firstSkipReason: string | null;
}

export const enrollmentsBulkContract = {
  /** One page of a plan's leads in a state, in a stable order (the `[planId+state]` index, then id). */
  'enrollments.byPlanState': method<PlanLeadPage>()(
    z.object({
      planId,
      state: liveStateSchema,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
  ),
  /** Every enrollment id of the plan in that state, in the table's order: "select all" covers rows not loaded yet. */
  'enrollments.idsByPlanState': method<{ ids: EnrollmentId[] }>()(z.object({ planId, state: liveStateSchema })),
  /** Applies one action to many enrollments, each through the state machine; pushes `bulkProgress`. */
  'enrollments.bulkApply': method<BulkResult>()(
    z.object({
      ids: z.array(enrollmentId).min(1, 'Select at least one lead').max(200_000),
      action: enrollmentActionSchema,
      jobId: z.string().default(''),
    }),
  ),
  /**
   * Puts the selected leads in one plan in one call (the Leads table's "Add to plan"): checked as one
   * request against the daily manual-assignment cap — over it, nothing is enrolled. Pushes `bulkProgress`.
   */
  'enrollments.enrollLeads': method<EnrollLeadsResult>()(
    z.object({
      planId,
      leadIds: z.array(leadId).min(1, 'Select at least one lead').max(200_000),
      jobId: z.string().default(''),
    }),
  ),
  /** Removes every lead still in a plan, so the plan can be deleted. */
  'enrollments.removeAllFromPlan': method<BulkResult>()(z.object({ planId, jobId: z.string().default('') })),
};

import { z } from 'zod';
import type { Plan } from '../model/plan';
import { planInputSchema, planStatusSchema } from '../model/plan';
import type { EnrollmentId, EpochMs, LeadId, StepId } from '../model/ids';
import { leadId, planId } from '../model/ids';
import { timeZoneSchema } from '../model/lead';
import { method } from '../rpc/spec';
import type { EnrollmentState } from '../model/enrollment';

export interface PlanSummary {
  plan: Plan;
  counts: Record<Exclude<EnrollmentState, 'removed'>, number> & { engaged: number };
}

/** One line of a plan's calendar for a lead: when the step is due, when it would really fire, and why. */
export interface PreviewEntry {
  stepId: StepId;
  stepName: string;
  stepKind: string;
  /** By the step's timing alone; null when it has no date (missing event date). */
  dueAt: EpochMs | null;
  /** After the order of steps, send windows, quiet hours and the daily cap; null when skipped. */
  firesAt: EpochMs | null;
  /** firesAt in the lead's zone, e.g. "Mon 9 Mar 2026 10:00 EDT". */
  firesAtLocal: string | null;
  status: 'fires' | 'deferred' | 'skipped' | 'review' | 'waitsForTask';
  reasons: string[];
}

export interface PlanPreview {
  timeZone: string;
  startAt: EpochMs;
  entries: PreviewEntry[];
}

export const previewParamsSchema = z.object({
  planId: planId.optional(),
  plan: planInputSchema.optional(),
  leadId: leadId.optional(),
  startAt: z.number().int().optional(),
  timeZone: timeZoneSchema.optional(),
  eventDates: z.record(z.string().min(1), z.iso.date()).default({}),
});

export interface LeadEditEffect {
  leadId: LeadId;
  leadName: string;
  enrollmentId: EnrollmentId;
  gained: string[];
  lost: string[];
  moved: { stepName: string; from: EpochMs | null; to: EpochMs | null }[];
}

/** What saving an edit would do to running enrollments (DESIGN §5b). */
export interface EditPreview {
  enrollments: number;
  gain: number;
  lose: number;
  move: number;
  leads: LeadEditEffect[];
}

export const plansContract = {
  'plans.list': method<PlanSummary[]>()(z.object({})),
  'plans.get': method<Plan>()(z.object({ id: planId })),
  'plans.create': method<Plan>()(planInputSchema),
  'plans.update': method<Plan>()(z.object({ id: planId, plan: planInputSchema })),
  'plans.setStatus': method<Plan>()(z.object({ id: planId, status: planStatusSchema })),
  'plans.delete': method<{ deleted: true }>()(z.object({ id: planId })),
  /** The exact calendar of a plan for a lead, or for a start time and zone, before enrolling. */
  'plans.preview': method<PlanPreview>()(previewParamsSchema),
  /** The per-lead effect of saving `plan` over plan `id`, before saving. */
  'plans.previewEdit': method<EditPreview>()(z.object({ id: planId, plan: planInputSchema })),
};

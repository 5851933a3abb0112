import { z } from 'zod';
import type { HistoryEntry } from '../model/history';
import type { EpochMs, PlanId, StepId, EnrollmentId } from '../model/ids';
import { leadId } from '../model/ids';
import type { Lead } from '../model/lead';
import { leadInputSchema } from '../model/lead';
import { method } from '../rpc/spec';

export interface LeadPage {
  rows: Lead[];
  total: number;
}

/** A step that will run for a lead, with its due instant (shown in the lead's zone and the user's). */
export interface UpcomingStep {
  enrollmentId: EnrollmentId;
  planId: PlanId;
  planName: string;
  stepId: StepId;
  stepName: string;
  stepKind: string;
  dueAt: EpochMs;
  leadTimeZone: string;
}

export const leadsContract = {
  'leads.create': method<Lead>()(leadInputSchema),
  'leads.update': method<Lead>()(z.object({ id: leadId, fields: leadInputSchema })),
  'leads.get': method<Lead>()(z.object({ id: leadId })),
  'leads.list': method<LeadPage>()(
    z.object({
      search: z.string().default(''),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  ),
  'leads.history': method<HistoryEntry[]>()(z.object({ leadId })),
  'leads.upcoming': method<UpcomingStep[]>()(z.object({ leadId })),
};

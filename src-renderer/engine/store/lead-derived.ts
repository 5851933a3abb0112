import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, PlanId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';

/** Marks leads nobody is assigned to, so "Unassigned" is a facet value the index can answer. */
export const UNASSIGNED = 'unassigned';
/** Marks leads that were never in a plan, for the enrollment-state facet. */
export const NO_ENROLLMENT = 'none';

/** Index fields computed from the lead itself; the store's hooks keep them right on every write. */
export interface LeadOwnIndexFields {
  nameKey: string;
  assigneeIds: string[];
}

/** Index fields summarising the lead's enrollments; kept by `touchLead` in the transaction that changes them. */
export interface LeadEnrollmentSummary {
  planIds: PlanId[];
  enrollmentStates: string[];
  activePlanCount: number;
  nextDueAt: EpochMs | null;
}

export function leadOwnIndexFields(lead: Pick<Lead, 'firstName' | 'lastName' | 'assignees'>): LeadOwnIndexFields {
  const ids = [lead.assignees?.buyerAgent, lead.assignees?.listingAgent, lead.assignees?.lender].filter(
    (v): v is NonNullable<typeof v> => !!v,
  );
  return {
    nameKey: `${lead.firstName ?? ''} ${lead.lastName ?? ''}`.trim().toLowerCase(),
    assigneeIds: ids.length ? [...new Set<string>(ids)] : [UNASSIGNED],
  };
}

export const emptyEnrollmentSummary: LeadEnrollmentSummary = {
  planIds: [],
  enrollmentStates: [NO_ENROLLMENT],
  activePlanCount: 0,
  nextDueAt: null,
};

/** Plans the lead is live in (active or paused), the states of its enrollments, and its next due step. */
export function enrollmentSummary(enrollments: readonly Enrollment[]): LeadEnrollmentSummary {
  const current = enrollments.filter((e) => e.state !== 'removed');
  if (current.length === 0) return emptyEnrollmentSummary;
  const live = current.filter((e) => e.state === 'active' || e.state === 'paused');
  const due = current.map((e) => (e.state === 'active' ? e.nextDueAt : null)).filter((d): d is EpochMs => d !== null);
  return {
    planIds: [...new Set(live.map((e) => e.planId))],
    enrollmentStates: [...new Set(current.map((e) => e.state))],
    activePlanCount: current.filter((e) => e.state === 'active').length,
    nextDueAt: due.length ? Math.min(...due) : null,
  };
}

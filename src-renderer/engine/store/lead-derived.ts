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

/** One of the lead's enrollments, as much of it as the lead's summary is made from. */
export type EnrollmentBrief = Pick<Enrollment, 'id' | 'planId' | 'state' | 'nextDueAt'>;

/** Index fields summarising the lead's enrollments; kept by `touchLead` in the transaction that changes them. */
export interface LeadEnrollmentSummary {
  planIds: PlanId[];
  enrollmentStates: string[];
  activePlanCount: number;
  nextDueAt: EpochMs | null;
  /**
   * What the summary was made from: the lead's enrollments that are not removed, in brief. A
   * scheduler pass brings it up to date with its own writes instead of reading them all again.
   */
  enrollmentBrief: EnrollmentBrief[];
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
  enrollmentBrief: [],
};

/**
 * Plans the lead is live in (active or paused), the states of its enrollments, and its next due step.
 * The same whatever order the enrollments come in (plan, then enrollment id: the store's order).
 */
export function enrollmentSummary(enrollments: readonly EnrollmentBrief[]): LeadEnrollmentSummary {
  const current = enrollments.filter((e) => e.state !== 'removed').sort(byPlanThenId);
  if (current.length === 0) return emptyEnrollmentSummary;
  const live = current.filter((e) => e.state === 'active' || e.state === 'paused');
  const due = current.map((e) => (e.state === 'active' ? e.nextDueAt : null)).filter((d): d is EpochMs => d !== null);
  return {
    planIds: [...new Set(live.map((e) => e.planId))],
    enrollmentStates: [...new Set(current.map((e) => e.state))],
    activePlanCount: current.filter((e) => e.state === 'active').length,
    nextDueAt: due.length ? Math.min(...due) : null,
    enrollmentBrief: current.map(({ id, planId, state, nextDueAt }) => ({ id, planId, state, nextDueAt })),
  };
}

const byPlanThenId = (a: EnrollmentBrief, b: EnrollmentBrief): number =>
  a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

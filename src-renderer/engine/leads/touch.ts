import type { EnrollmentId, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import { enrollmentSummary } from '../store/lead-derived';

/**
 * Keeps the lead's enrollment summary (active plans, next step due, plans, states) and its last
 * activity current. Call it inside the transaction that changed the lead's enrollments (it needs
 * `leads` and `enrollments` in scope), after the change, so the leads table never shows stale counts.
 */
export async function touchLead(deps: EngineDeps, leadId: LeadId): Promise<void> {
  const enrollments = await deps.db.enrollments.where('leadId').equals(leadId).toArray();
  await deps.db.leads.update(leadId, { ...enrollmentSummary(enrollments), lastActivityAt: deps.clock.now() });
}

/** `touchLead` in its own transaction, for the enrollment's lead (after a scheduler step). */
export async function touchLeadOfEnrollment(deps: EngineDeps, enrollmentId: EnrollmentId): Promise<void> {
  const { db } = deps;
  await db.transaction('rw', db.leads, db.enrollments, async () => {
    const e = await db.enrollments.get(enrollmentId);
    if (e && (await db.leads.get(e.leadId))) await touchLead(deps, e.leadId);
  });
}

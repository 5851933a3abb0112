import type { EpochMs, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import type { LeadRow } from '../store/db';
import type { LeadEnrollmentSummary } from '../store/lead-derived';
import { enrollmentSummary } from '../store/lead-derived';
import { enrollmentsOfLead } from '../store/queries';
import { rowOf } from '../store/tx-read-cache';

/**
 * Keeps the lead's enrollment summary (active plans, next step due, plans, states) and its last
 * activity current. Call it inside the transaction that changed the lead's enrollments (it needs
 * `leads` and `enrollments` in scope), after the change, so the leads table never shows stale counts.
 * Writes only when something changed: a lead write updates many indexes (npm run bench).
 */
export async function touchLead(deps: EngineDeps, leadId: LeadId): Promise<void> {
  const [enrollments, row] = await Promise.all([enrollmentsOfLead(deps.db, leadId).toArray(), rowOf(deps.db.leads, leadId)]);
  if (!row) return;
  const patch = { ...enrollmentSummary(enrollments), lastActivityAt: deps.clock.now() };
  if (sameSummary(row, patch)) return;
  await deps.db.leads.put({ ...row, ...patch });
}

function sameSummary(row: LeadRow, patch: LeadEnrollmentSummary & { lastActivityAt: EpochMs }): boolean {
  const same = (a: readonly string[] | undefined, b: readonly string[]) =>
    a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
  return (
    row.activePlanCount === patch.activePlanCount &&
    row.nextDueAt === patch.nextDueAt &&
    row.lastActivityAt === patch.lastActivityAt &&
    same(row.planIds, patch.planIds) &&
    same(row.enrollmentStates, patch.enrollmentStates)
  );
}

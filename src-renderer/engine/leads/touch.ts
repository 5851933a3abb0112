import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, LeadId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import type { LeadRow } from '../store/db';
import type { EnrollmentBrief, LeadEnrollmentSummary } from '../store/lead-derived';
import { enrollmentSummary } from '../store/lead-derived';
import { enrollmentsOfLead } from '../store/queries';
import { rowOf, writesIn } from '../store/tx-read-cache';

/**
 * Keeps the lead's enrollment summary (active plans, next step due, plans, states) and its last
 * activity current. Call it inside the transaction that changed the lead's enrollments (it needs
 * `leads` and `enrollments` in scope), after the change, so the leads table never shows stale counts.
 * Writes only when something changed: a lead write updates many indexes (npm run bench).
 *
 * `seen`: enrollments of the lead this transaction read before it changed them (a scheduler pass's
 * due rows). When the row's brief agrees with them, the summary is the brief brought up to date with
 * this transaction's writes, with no read of the lead's enrollments; otherwise (no brief yet, or one
 * that disagrees: something changed them without a touch) they are read, and the brief is rewritten.
 */
export async function touchLead(deps: EngineDeps, leadId: LeadId, seen?: readonly Enrollment[]): Promise<void> {
  const row = await rowOf(deps.db.leads, leadId);
  if (!row) return;
  const enrollments = (seen && briefNow(deps, row, seen)) ?? (await enrollmentsOfLead(deps.db, leadId).toArray());
  const patch = { ...enrollmentSummary(enrollments), lastActivityAt: deps.clock.now() };
  if (sameSummary(row, patch)) return;
  await deps.db.leads.put({ ...row, ...patch });
}

/**
 * Touches every lead whose enrollments this transaction wrote (reading them): for the writers of
 * enrollments outside the scheduler (triggers, replies, tasks, plan edits), so the leads table is
 * right at once and the brief stays true for the next pass.
 */
export async function touchWrittenLeads(deps: EngineDeps): Promise<void> {
  const writes = writesIn<Enrollment>(deps.db.enrollments);
  // No writer does this today; one that does must touch its leads itself, or their summaries go stale.
  if (writes === 'unknown') throw new Error('touchWrittenLeads: this transaction deleted enrollments by range; touch their leads by id');
  const leads = new Set(writes.flatMap((w) => (w.value ? [w.value.leadId] : [])));
  for (const id of leads) await touchLead(deps, id);
}

/** The lead's enrollments as of now from its brief and this transaction's writes, or null when the brief cannot be trusted. */
function briefNow(deps: EngineDeps, row: LeadRow, seen: readonly Enrollment[]): EnrollmentBrief[] | null {
  if (!row.enrollmentBrief) return null;
  const byId = new Map(row.enrollmentBrief.map((b) => [b.id, b]));
  for (const e of seen) {
    const b = byId.get(e.id);
    if (e.state === 'removed' ? b !== undefined : !b || b.state !== e.state || b.nextDueAt !== e.nextDueAt || b.planId !== e.planId)
      return null;
  }
  const writes = writesIn<Enrollment>(deps.db.enrollments);
  if (writes === 'unknown') return null;
  for (const { key, value } of writes) {
    if (value === null) byId.delete(key as Enrollment['id']);
    else if (value.leadId === row.id) byId.set(value.id, value);
  }
  return [...byId.values()];
}

function sameSummary(row: LeadRow, patch: LeadEnrollmentSummary & { lastActivityAt: EpochMs }): boolean {
  const same = (a: readonly string[] | undefined, b: readonly string[]) =>
    a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
  const sameBrief = (a: readonly EnrollmentBrief[] | undefined, b: readonly EnrollmentBrief[]) =>
    a !== undefined &&
    a.length === b.length &&
    a.every((x, i) => x.id === b[i]!.id && x.planId === b[i]!.planId && x.state === b[i]!.state && x.nextDueAt === b[i]!.nextDueAt);
  return (
    row.activePlanCount === patch.activePlanCount &&
    row.nextDueAt === patch.nextDueAt &&
    row.lastActivityAt === patch.lastActivityAt &&
    same(row.planIds, patch.planIds) &&
    same(row.enrollmentStates, patch.enrollmentStates) &&
    sameBrief(row.enrollmentBrief, patch.enrollmentBrief)
  );
}

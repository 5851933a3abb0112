import type { Actor, Enrollment } from '@shared/model/enrollment';
import { HERE } from '@shared/model/enrollment';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { toLead } from '../leads/app';
import { completeEnrollment } from './lifecycle';
import { mapPosition, positionFor, stepsLeftBehind } from './position';
import { enrollmentsOfLead } from '../store/queries';

const sameTiming = (a: Step | undefined, b: Step | undefined): boolean => JSON.stringify(a?.timing) === JSON.stringify(b?.timing);

/**
 * After a plan is edited or switched Ready/draft (DESIGN §3): live enrollments keep their position by
 * step id (a deleted next step moves on to the next surviving one, recorded), steps inserted before
 * the position never run, and a changed timing re-computes the due time. A draft plan never runs, so
 * its enrollments are held (no due time) until it is Ready again. Every step a lead will not get
 * (deleted, or moved before its place) is recorded once, at the edit, with who edited the plan: the
 * same steps the edit preview listed. Call inside the save transaction.
 */
export async function realignEnrollments(deps: EngineDeps, oldPlan: Plan | null, plan: Plan, editor: Actor): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  // Only the enrollments this computer runs: another computer of the team realigns its own when the
  // edited plan reaches it, so each one is written by one computer (docs/design.md §9).
  const live = [
    ...(await db.enrollments.where('[planId+state]').equals([plan.id, 'active']).toArray()),
    ...(await db.enrollments.where('[planId+state]').equals([plan.id, 'paused']).toArray()),
  ].filter((e) => (e.runner ?? HERE) === HERE);
  for (const e of live) {
    if (e.nextStepId === null) continue;
    const row = await db.leads.get(e.leadId);
    if (!row) continue;
    const lead = toLead(row);
    const target = mapPosition(oldPlan, plan, e.nextStepId, e.prevStepId ?? null);
    const moved = target?.id !== e.nextStepId;
    const by = editor.kind === 'user' ? ` by ${editor.name}` : '';
    const names = (steps: Step[], s: Step) => `"${s.name || `Step ${steps.indexOf(s) + 1}`}"`;
    const continues = !target
      ? '; no steps are left'
      : target.name
        ? `; continues with "${target.name}"`
        : `; continues with step ${plan.steps.indexOf(target) + 1} of the edited plan`;
    for (const lost of oldPlan ? stepsLeftBehind(oldPlan, plan, e.nextStepId, e.prevStepId ?? null) : []) {
      const deleted = !plan.steps.some((s) => s.id === lost.id);
      await record(db, deps.newId(), {
        leadId: e.leadId,
        at: now,
        kind: 'skipped',
        summary: `Skipped ${names(oldPlan!.steps, lost)} of "${plan.name}": ${deleted ? 'deleted from the plan' : 'moved before this lead’s place in the plan'}${by}${lost.id === e.nextStepId ? continues : ''}`,
        actor: editor,
        planId: plan.id,
        enrollmentId: e.id,
        stepId: lost.id,
      });
    }
    if (!target) {
      await completeEnrollment(deps, e, plan, lead, now, ': its remaining steps were deleted');
      continue;
    }
    const oldStep = oldPlan?.steps.find((s) => s.id === target.id);
    let next: Enrollment = { ...e, nextStepId: target.id };
    const needsDue = moved || !sameTiming(oldStep, target) || e.nextDueAt === null;
    if (e.state !== 'active' || e.waitingForTaskId || plan.status !== 'ready') next.nextDueAt = null;
    else if (needsDue) next = { ...next, nextDueAt: positionFor(target, e, lead, now).nextDueAt };
    if (next.nextDueAt !== e.nextDueAt || next.nextStepId !== e.nextStepId) await db.enrollments.put({ ...next, updatedAt: now });
  }
}

/**
 * A lead's event dates changed: steps tied to a changed event get a new due time; a deleted event
 * makes its steps due now, so the scheduler skips them and records why (DESIGN §3).
 */
export async function realignLead(deps: EngineDeps, before: Lead, after: Lead): Promise<void> {
  const changed = new Set(
    [...Object.keys(before.eventDates), ...Object.keys(after.eventDates)].filter((k) => before.eventDates[k] !== after.eventDates[k]),
  );
  if (changed.size === 0) return;
  const { db, clock } = deps;
  const now = clock.now();
  for (const e of await enrollmentsOfLead(db, after.id).toArray()) {
    if (e.state !== 'active' || e.waitingForTaskId || e.nextStepId === null) continue;
    const plan = await db.plans.get(e.planId);
    const step = plan?.steps.find((s) => s.id === e.nextStepId);
    if (!plan || plan.status !== 'ready' || !step) continue;
    const t = step.timing;
    if ((t.kind === 'beforeEvent' || t.kind === 'afterEvent') && changed.has(t.event)) {
      await db.enrollments.put({ ...e, nextDueAt: positionFor(step, e, after, now).nextDueAt, updatedAt: now });
    }
  }
}

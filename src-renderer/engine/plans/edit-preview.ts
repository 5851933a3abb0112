import type { EditPreview, LeadEditEffect } from '@shared/contract/plans';
import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs, StepId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { Plan, PlanFields, Step } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { mapPosition, rawDueAt, stepsLeftBehind } from '../enrollments/position';
import { toLead } from '../leads/app';
import { enrollmentsOfPlan } from '../store/queries';

const nameOf = (steps: Step[], s: Step) => s.name || `Step ${steps.indexOf(s) + 1}`;

/** The steps an enrollment has still to run in `plan`, from `from`, with their due times. */
function remaining(steps: Step[], from: Step | undefined, e: Enrollment, lead: Lead): Map<StepId, { step: Step; due: EpochMs | null }> {
  const out = new Map<StepId, { step: Step; due: EpochMs | null }>();
  const i = from ? steps.findIndex((s) => s.id === from.id) : -1;
  if (i < 0) return out;
  for (const step of steps.slice(i)) out.set(step.id, { step, due: rawDueAt(step, e, lead) });
  return out;
}

/**
 * What saving `next` over `current` would do to every live enrollment, lead by lead: steps it will
 * now run (gained), will no longer run (lost), or run at another time (moved). Uses the same
 * position rule as the save (enrollments/position.ts mapPosition).
 */
export async function previewEdit(deps: EngineDeps, current: Plan, next: PlanFields): Promise<EditPreview> {
  const { db } = deps;
  const live = (await enrollmentsOfPlan(db, current.id).toArray()).filter((e) => e.state === 'active' || e.state === 'paused');
  const leads: LeadEditEffect[] = [];
  let gain = 0;
  let lose = 0;
  let move = 0;
  for (const e of live) {
    if (e.nextStepId === null) continue;
    const row = await db.leads.get(e.leadId);
    if (!row) continue;
    const lead = toLead(row);
    const before = remaining(
      current.steps,
      current.steps.find((s) => s.id === e.nextStepId),
      e,
      lead,
    );
    const after = remaining(next.steps, mapPosition(current, next, e.nextStepId, e.prevStepId ?? null), e, lead);
    const effect: LeadEditEffect = {
      leadId: lead.id,
      leadName: leadDisplayName(lead),
      enrollmentId: e.id,
      gained: [],
      lost: [],
      moved: [],
    };
    for (const [id, a] of after) if (!before.has(id)) effect.gained.push(nameOf(next.steps, a.step));
    for (const s of stepsLeftBehind(current, next, e.nextStepId, e.prevStepId ?? null)) effect.lost.push(nameOf(current.steps, s));
    for (const [id, a] of after) {
      const b = before.get(id);
      if (b && b.due !== a.due) effect.moved.push({ stepName: nameOf(next.steps, a.step), from: b.due, to: a.due });
    }
    if (effect.gained.length + effect.lost.length + effect.moved.length === 0) continue;
    if (effect.gained.length) gain++;
    if (effect.lost.length) lose++;
    if (effect.moved.length) move++;
    leads.push(effect);
  }
  return { enrollments: live.length, gain, lose, move, leads };
}

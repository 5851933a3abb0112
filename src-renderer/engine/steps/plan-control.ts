import type { Actor } from '@shared/model/enrollment';
import { pauseEnrollment, tryEnroll } from '../enrollments/lifecycle';
import type { StepKind } from '@shared/model/plan';
import type { StepExecutor, StepRun } from './types';
import { enrollmentsOfLead } from '../store/queries';

/** A repeat sooner than this after the iteration began would spin without waiting: a cycle. */
export const MIN_REPEAT_MS = 60_000;

const stepActor = <K extends StepKind>(run: StepRun<K>): Actor => ({ kind: 'step', planId: run.plan.id, stepId: run.step.id });

export const runAssignPlan: StepExecutor<'assignPlan'> = async (run) => {
  const target = await run.deps.db.plans.get(run.step.planId);
  if (!target) return run.fail('the plan it assigns no longer exists');
  const chain = [...(run.enrollment.chain ?? []), run.plan.id];
  const attempt = await tryEnroll(run.deps, run.lead.id, target.id, stepActor(run), { chain });
  if (!attempt.ok) return run.fail(attempt.reason);
  return run.done(`Assigned to plan "${target.name}"`);
};

export const runPausePlan: StepExecutor<'pausePlan'> = async (run) => {
  const target = await run.deps.db.plans.get(run.step.planId);
  if (!target) return run.fail('the plan it pauses no longer exists');
  const rows = await run.deps.db.enrollments.where('[leadId+planId]').equals([run.lead.id, target.id]).toArray();
  const active = rows.find((e) => e.state === 'active' && e.id !== run.enrollment.id);
  if (!active) return run.skip(`the lead is not running "${target.name}"`);
  await pauseEnrollment(run.deps, active, stepActor(run), `by a step of "${run.plan.name}"`);
  return run.done(`Paused plan "${target.name}"`);
};

/** Pauses every other plan the lead is running; this plan goes on (it holds the step that did it). */
export const runPauseAllPlans: StepExecutor<'pauseAllPlans'> = async (run) => {
  const rows = await enrollmentsOfLead(run.deps.db, run.lead.id).toArray();
  let paused = 0;
  for (const e of rows) {
    if (e.id === run.enrollment.id) continue;
    if (await pauseEnrollment(run.deps, e, stepActor(run), `all plans paused by a step of "${run.plan.name}"`)) paused++;
  }
  if (paused === 0) return run.skip('the lead runs no other plan');
  return run.done(`Paused ${paused} other plan${paused === 1 ? '' : 's'}`);
};

export const runRepeatPlan: StepExecutor<'repeatPlan'> = (run) => {
  const began = run.enrollment.enteredAt ?? run.enrollment.startedAt;
  if (run.now - began < MIN_REPEAT_MS) {
    return run.fail(
      'repeating now would loop forever: the plan reached this step less than a minute after it began (add a wait before it)',
    );
  }
  run.effects.repeat = true;
  return run.done(`Repeating "${run.plan.name}" from step one`);
};

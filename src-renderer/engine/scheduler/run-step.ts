import type { Enrollment, Execution } from '@shared/model/enrollment';
import { executionKey } from '@shared/model/enrollment';
import type { EnrollmentId, EpochMs } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { positionAt, stepAfter } from '../enrollments/position';
import { record } from '../history/history';
import { toLead } from '../leads/app';
import { STEP_EXECUTORS } from '../steps';
import { queueNotifyMe } from '../steps/notify-me';
import type { StepExecutor, StepRun } from '../steps/types';

export type StepRunResult = 'ran' | 'notDue';

const HOUR = 3_600_000;

/**
 * Runs the next step of one enrollment in ONE transaction (DESIGN §5): check it is still due, write the
 * execution under its unique key, write outbox messages, advance the enrollment. A crash anywhere
 * rolls the whole step back, so it runs again later exactly once.
 */
export async function runNextStep(deps: EngineDeps, id: EnrollmentId, now: EpochMs): Promise<StepRunResult> {
  const { db } = deps;
  // settings: the sending agent's signature and the mailbox address (steps/sender.ts).
  const tables = [db.enrollments, db.plans, db.leads, db.executions, db.outbox, db.history, db.users, db.account, db.settings];
  return db.transaction('rw', tables, async () => {
    const e = await db.enrollments.get(id);
    if (!e || e.state !== 'active' || e.nextDueAt === null || e.nextDueAt > now || e.nextStepId === null) return 'notDue';
    const [plan, leadRow] = await Promise.all([db.plans.get(e.planId), db.leads.get(e.leadId)]);
    if (!plan || !leadRow) {
      await db.enrollments.update(e.id, {
        state: 'stopped',
        nextDueAt: null,
        exitReason: plan ? 'lead deleted' : 'plan deleted',
        updatedAt: now,
      });
      return 'ran';
    }
    const lead = toLead(leadRow);
    if (plan.status !== 'ready') {
      // Draft plans never run: hold the enrollment until the plan is Ready again (realign resumes it).
      await db.enrollments.update(e.id, { nextDueAt: null, updatedAt: now });
      return 'ran';
    }
    const step = plan.steps.find((s) => s.id === e.nextStepId);
    if (!step) {
      await db.enrollments.update(e.id, { nextDueAt: null, updatedAt: now });
      return 'ran';
    }
    const key = executionKey(e, step.id);
    if (!(await db.executions.get(key))) {
      const execution = await perform(deps, { e, plan, lead, step, now, key });
      await db.executions.add(execution);
      await queueNotifyMe(deps, plan, step, lead, execution);
    }
    await advance(deps, e, plan, lead, step, now);
    return 'ran';
  });
}

interface StepContext {
  e: Enrollment;
  plan: Plan;
  lead: Lead;
  step: Step;
  now: EpochMs;
  key: string;
}

async function perform(deps: EngineDeps, c: StepContext): Promise<Execution> {
  const { e, plan, lead, step, now, key } = c;
  const dueAt = e.nextDueAt ?? now;
  const base = { key, enrollmentId: e.id, leadId: lead.id, planId: plan.id, stepId: step.id, iteration: e.iteration, dueAt, at: now };
  const label = step.name || `Step ${plan.steps.indexOf(step) + 1}`;
  const history = {
    leadId: lead.id,
    at: now,
    planId: plan.id,
    enrollmentId: e.id,
    stepId: step.id,
    actor: { kind: 'step' as const, planId: plan.id, stepId: step.id },
  };
  const outcome = async (kind: 'skipped' | 'failed' | 'done', summary: string, reason: string | null): Promise<Execution> => {
    await record(deps.db, deps.newId(), { ...history, kind: kind === 'done' ? 'stepRan' : kind, summary });
    return { ...base, outcome: kind, reason };
  };
  const run: StepRun = {
    deps,
    enrollment: e,
    plan,
    lead,
    step,
    now,
    key,
    label,
    history,
    base,
    skip: (reason) => outcome('skipped', `Skipped "${label}" of "${plan.name}": ${reason}`, reason),
    fail: (reason) => outcome('failed', `"${label}" of "${plan.name}" failed: ${reason}`, reason),
    done: (summary) => outcome('done', summary, null),
  };

  // Missed runs (machine off or asleep): the plan's policy decides about steps overdue beyond the grace.
  const lateBy = now - dueAt;
  if (lateBy > plan.misfire.graceHours * HOUR && plan.misfire.policy === 'skip') {
    return run.skip(`it was due ${Math.round(lateBy / HOUR)} h ago while the app was not running, and this plan skips missed steps`);
  }
  const executor = STEP_EXECUTORS[step.kind] as StepExecutor | undefined;
  // Plans with other kinds are refused at save (plans/validate.ts); a stored one is recorded, never silent.
  if (!executor) return run.skip(`"${step.kind}" steps cannot run in this version`);
  return executor(run);
}

async function advance(deps: EngineDeps, e: Enrollment, plan: Plan, lead: Lead, step: Step, now: EpochMs): Promise<void> {
  const next = stepAfter(plan, step.id);
  if (next) {
    await deps.db.enrollments.put({ ...e, ...positionAt(next, e, lead), updatedAt: now });
    return;
  }
  await deps.db.enrollments.put({ ...e, state: 'completed', nextStepId: null, nextDueAt: null, exitReason: 'completed', updatedAt: now });
  await record(deps.db, deps.newId(), {
    leadId: lead.id,
    at: now,
    kind: 'completed',
    summary: `Completed "${plan.name}"`,
    actor: { kind: 'scheduler' },
    planId: plan.id,
    enrollmentId: e.id,
  });
}

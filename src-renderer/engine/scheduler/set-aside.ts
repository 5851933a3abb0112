import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { Enrollment, EnrollmentFailure } from '@shared/model/enrollment';
import { MAX_STEP_TRIES as MAX_TRIES } from '@shared/model/enrollment';
import type { EnrollmentId, EpochMs } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadInputSchema } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import { planInputSchema } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { touchLead } from '../leads/touch';
import { depsIn } from '../store/bound-db';
import { stepTables } from './run-step';

/** A failing step is tried at once, then after 1, 4, 16 and 64 minutes (MAX_TRIES in all). */
const FIRST_WAIT_MS = 60_000;
const WAIT_FACTOR = 4;

/** How long a step that failed `attempts` times waits before its next try. */
export const waitAfterFailure = (attempts: number): number => FIRST_WAIT_MS * WAIT_FACTOR ** (attempts - 1);

/**
 * A due step that throws (an unreadable plan or lead, a bug) is set aside so the work behind it runs:
 * its enrollment waits longer after each failure and, after MAX_TRIES, is paused with the reason in
 * the lead's history (a "failed" line, which Today lists). Resume tries it again at once. Runs in its
 * own transaction: the step's own writes were rolled back with its failure.
 */
export async function setAside(outer: EngineDeps, id: EnrollmentId, err: unknown, now: EpochMs): Promise<void> {
  await outer.db.transaction('rw', stepTables(outer), async (trans) => {
    const deps = depsIn(outer, trans);
    const e = await deps.db.enrollments.get(id);
    if (!e || e.state !== 'active') return;
    const [plan, lead] = await Promise.all([deps.db.plans.get(e.planId), deps.db.leads.get(e.leadId)]);
    const failure: EnrollmentFailure = {
      stepId: e.nextStepId,
      attempts: (e.failure?.stepId === e.nextStepId ? (e.failure?.attempts ?? 0) : 0) + 1,
      reason: reasonFor(err, plan, lead),
      firstAt: e.failure?.stepId === e.nextStepId ? (e.failure?.firstAt ?? now) : now,
      dueAt: e.failure?.dueAt ?? e.nextDueAt ?? now,
    };
    const what = `${stepLabel(plan, e)} of "${planName(plan, e)}"`;
    const base = {
      leadId: e.leadId,
      at: now,
      actor: { kind: 'scheduler' as const },
      planId: e.planId,
      enrollmentId: e.id,
      stepId: e.nextStepId,
    };
    if (failure.attempts >= MAX_TRIES) {
      await deps.db.enrollments.put({ ...e, state: 'paused', pausedAt: now, nextDueAt: null, failure, updatedAt: now });
      await record(deps.db, deps.newId(), {
        ...base,
        kind: 'failed',
        summary: `${what} could not run after ${failure.attempts} tries and is paused: ${failure.reason}. Fix the plan or the lead, then resume it.`,
      });
    } else {
      const at = now + waitAfterFailure(failure.attempts);
      await deps.db.enrollments.put({ ...e, nextDueAt: at, failure, updatedAt: now });
      if (failure.attempts === 1) {
        const local = DateTime.fromMillis(at, { zone: lead && typeof lead.timeZone === 'string' ? lead.timeZone : 'UTC' }).toFormat(
          'HH:mm',
        );
        await record(deps.db, deps.newId(), {
          ...base,
          kind: 'deferred',
          summary: `${what} could not run: ${failure.reason}. Trying again at ${local} (try 2 of ${MAX_TRIES}).`,
        });
      }
    }
    if (lead) await touchLead(deps, e.leadId);
  });
}

/** The step's name when the plan can say it, else its place in words. */
function stepLabel(plan: Plan | undefined, e: Enrollment): string {
  const steps = Array.isArray(plan?.steps) ? plan.steps : [];
  const i = steps.findIndex((s) => s?.id === e.nextStepId);
  if (i < 0) return 'A step';
  return `"${steps[i]!.name || `Step ${i + 1}`}"`;
}

const planName = (plan: Plan | undefined, e: Enrollment): string => (typeof plan?.name === 'string' ? plan.name : `plan ${e.planId}`);

/**
 * Why the step could not run, in words a user can act on: which stored record is unreadable and
 * where, when one is; otherwise the error itself.
 */
export function reasonFor(err: unknown, plan: Plan | undefined, lead: Lead | undefined): string {
  const badPlan = plan ? planInputSchema.safeParse(plan) : null;
  if (badPlan && !badPlan.success) return `the stored plan cannot be read (${where(badPlan.error)})`;
  const badLead = lead ? leadInputSchema.safeParse(lead) : null;
  if (badLead && !badLead.success) return `the stored lead cannot be read (${where(badLead.error)})`;
  const message = err instanceof Error ? err.message : String(err);
  return `an unexpected error (${message})`;
}

/** The first problem of a parse, as "step 2, timing, time: expected string". */
function where(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown field';
  const path = issue.path.map((p, i) => (typeof p === 'number' && issue.path[i - 1] === 'steps' ? `${p + 1}` : String(p)));
  const words = path.join(', ').replace(/^steps, (\d+)/, 'step $1');
  return `${words || 'the record'}: ${issue.message}`;
}

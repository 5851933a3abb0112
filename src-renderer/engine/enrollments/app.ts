import { HERE } from '@shared/model/enrollment';
import type { BulkPreview, EnrollmentAction, enrollmentsContract } from '@shared/contract/enrollments';
import type { Actor, Enrollment } from '@shared/model/enrollment';
import type { EnrollmentId, LeadId, PlanId } from '@shared/model/ids';
import { AppError, conflict, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';
import { getLead } from '../leads/app';
import { getPlan } from '../plans/app';
import { stepTables } from '../scheduler/run-step';
import { bulkMatches, bulkPreview } from './bulk';
import { pauseEnrollment, tryEnroll } from './lifecycle';
import { touchLead, touchWrittenLeads } from '../leads/touch';
import { positionFor } from './position';
import { allowedActions, nextState } from './state-machine';
import { enrollmentsOfLead } from '../store/queries';

/** Enrolls a lead in a plan now, or says in words why not. */
export async function enroll(deps: EngineDeps, leadId: LeadId, planId: PlanId, actor: Actor): Promise<Enrollment> {
  const { db } = deps;
  // The scheduler is woken after the commit, never from inside a transaction (its pass must not
  // continue in this transaction's zone).
  const enrollment = await db.transaction('rw', [db.enrollments, db.plans, db.leads, db.history], async () => {
    const attempt = await tryEnroll(deps, leadId, planId, actor);
    if (attempt.ok) {
      await touchLead(deps, leadId);
      return attempt.enrollment;
    }
    if (attempt.code === 'NotFound')
      throw notFound(attempt.reason.includes('lead') ? 'Lead' : 'Plan', attempt.reason.includes('lead') ? leadId : planId);
    throw conflict(attempt.reason.replace(/^\w/, (c) => c.toUpperCase()) + '.', { leadId, planId });
  });
  deps.wake();
  return enrollment;
}

const pastTense: Record<EnrollmentAction, string> = {
  pause: 'Paused',
  resume: 'Resumed',
  stop: 'Stopped',
  restart: 'Restarted from step one',
  remove: 'Removed from the plan',
};

/** Applies a user's action through the state machine; refused transitions say what is allowed. */
export async function applyAction(deps: EngineDeps, id: EnrollmentId, action: EnrollmentAction, actor: Actor): Promise<Enrollment> {
  const { db } = deps;
  const updated = await db.transaction('rw', actionTables(deps), async () => await applyActionIn(deps, id, action, actor));
  deps.wake();
  return updated;
}

/** "pause, stop or remove" */
const orList = (words: readonly string[]): string =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');

/** The tables an enrollment action reads and writes: a caller's transaction must include them all. */
export const actionTables = ({ db }: EngineDeps) => [db.enrollments, db.plans, db.leads, db.history];

/**
 * The body of applyAction, inside the caller's transaction over actionTables(). A refusal is thrown
 * before anything is written, so a caller may catch it and go on in the same transaction.
 */
export async function applyActionIn(deps: EngineDeps, id: EnrollmentId, action: EnrollmentAction, actor: Actor): Promise<Enrollment> {
  const { db, clock } = deps;
  const e = await db.enrollments.get(id);
  if (!e) throw notFound('Enrollment', id);
  const to = nextState(e.state, action);
  if (!to) {
    const allowed = allowedActions(e.state);
    throw new AppError(
      'Conflict',
      `${/^[aeiou]/.test(e.state) ? 'An' : 'A'} ${e.state} enrollment cannot ${action}${allowed.length ? `; it can ${orList(allowed)}` : ''}.`,
      {
        state: e.state,
        allowed,
      },
    );
  }
  const [plan, lead] = await Promise.all([getPlan(deps, e.planId), getLead(deps, e.leadId)]);
  if (action === 'restart') {
    const live = await db.enrollments
      .where('[leadId+planId]')
      .equals([e.leadId, e.planId])
      .filter((x) => x.id !== e.id && (x.state === 'active' || x.state === 'paused'))
      .count();
    if (live > 0)
      throw conflict(`The lead is already running "${plan.name}" again; one enrollment per plan at a time.`, { planId: plan.id });
  }
  const now = clock.now();
  const who = actor.kind === 'user' ? ` by ${actor.name}` : '';
  let next: Enrollment = { ...e, state: to, updatedAt: now };
  switch (action) {
    case 'pause':
      next = { ...next, pausedAt: now, nextDueAt: null };
      break;
    case 'resume': {
      // Remaining relative delays shift by the paused time; event-relative steps stay on the event.
      const startedAt = e.startedAt + (now - (e.pausedAt ?? now));
      const step = plan.steps.find((s) => s.id === e.nextStepId);
      // A step paused after failing (scheduler/set-aside.ts) is tried again at once, with fresh tries.
      next = { ...next, startedAt, pausedAt: null, failure: null };
      if (step) next = { ...next, ...positionFor(step, { startedAt }, lead, now) };
      else if (e.nextStepId !== null) next.nextDueAt = now; // its step was deleted: the scheduler moves on, recorded
      if (plan.status !== 'ready' || e.waitingForTaskId) next.nextDueAt = null;
      break;
    }
    case 'stop':
    case 'remove':
      next = { ...next, nextDueAt: null, pausedAt: null, exitReason: `${action === 'stop' ? 'stopped' : 'removed'}${who}` };
      break;
    case 'restart':
      next = {
        ...next,
        iteration: e.iteration + 1,
        ran: { iteration: e.iteration + 1, stepIds: [] },
        startedAt: now,
        enteredAt: now,
        pausedAt: null,
        prevStepId: null,
        waitingForTaskId: null,
        exitReason: null,
        failure: null,
        ...positionFor(plan.steps[0], { startedAt: now }, lead, now),
      };
      if (plan.status !== 'ready') next.nextDueAt = null;
      break;
  }
  await db.enrollments.put(next);
  await touchLead(deps, e.leadId);
  await record(db, deps.newId(), {
    leadId: e.leadId,
    at: now,
    kind: 'stateChanged',
    summary: `${pastTense[action]}: "${plan.name}"${who}`,
    actor,
    planId: plan.id,
    enrollmentId: e.id,
  });
  return next;
}

/**
 * A reply from the lead (DESIGN §3 pause-on-reply): every live enrollment is marked engaged, and the
 * active ones in plans with pause-on-reply are paused, each with a history line.
 */
export async function recordReply(
  deps: EngineDeps,
  leadId: LeadId,
  channel: 'email' | 'sms',
): Promise<{ engaged: number; paused: number }> {
  const { db, clock } = deps;
  return db.transaction('rw', [db.enrollments, db.plans, db.leads, db.history], async () => {
    await getLead(deps, leadId);
    const now = clock.now();
    const actor: Actor = { kind: 'system', reason: `${channel} reply detected` };
    await record(db, deps.newId(), {
      leadId,
      at: now,
      kind: 'replied',
      summary: `The lead replied by ${channel === 'sms' ? 'text' : 'email'}`,
      actor,
    });
    let engaged = 0;
    let paused = 0;
    for (const e of await enrollmentsOfLead(db, leadId).toArray()) {
      if (e.state !== 'active' && e.state !== 'paused') continue;
      const marked = { ...e, engaged: true, engagedAt: e.engagedAt ?? now, updatedAt: now };
      await db.enrollments.put(marked);
      engaged++;
      const plan = await db.plans.get(e.planId);
      if (plan?.pauseOnReply && (await pauseEnrollment(deps, marked, actor, 'the lead replied'))) paused++;
    }
    await touchLead(deps, leadId);
    return { engaged, paused };
  });
}

const BULK_CHUNK = 500;

export function createEnrollmentsHandlers(deps: EngineDeps): AreaHandlers<typeof enrollmentsContract> {
  const { db } = deps;
  return {
    async 'enrollments.enroll'({ leadId, planId }, { user }) {
      return enroll(deps, leadId, planId, userActor(user));
    },
    async 'enrollments.forLead'({ leadId }) {
      const runsOn = async (runner: string | undefined): Promise<string | null> => {
        if (runner === undefined || runner === HERE) return null;
        if (runner.startsWith('held:')) return 'Starts when the team’s daily assignment count is taken on the next sync';
        const device = await db.devices.get(runner);
        return `Runs on ${device?.name ?? 'another computer of the team'}`;
      };
      const rows = await enrollmentsOfLead(db, leadId).toArray();
      const views = await Promise.all(
        rows
          .filter((e) => e.state !== 'removed')
          .map(async (e) => ({
            ...e,
            planName: (await db.plans.get(e.planId))?.name ?? '(deleted plan)',
            runsOn: await runsOn(e.runner),
          })),
      );
      return views.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async 'enrollments.apply'({ id, action }, { user }) {
      return applyAction(deps, id, action, userActor(user));
    },
    async 'enrollments.bulkPreview'(selection): Promise<BulkPreview> {
      return bulkPreview(deps, selection);
    },
    async 'enrollments.bulkEnroll'(selection, { user }) {
      const plan = await getPlan(deps, selection.planId);
      if (plan.status !== 'ready')
        throw conflict(`"${plan.name}" is a draft. Switch it to Ready before enrolling leads.`, { planId: plan.id });
      const leadIds = await bulkMatches(deps, selection);
      let enrolled = 0;
      // Chunks keep each transaction short, so the scheduler and the UI are never blocked for long.
      for (let i = 0; i < leadIds.length; i += BULK_CHUNK) {
        const chunk = leadIds.slice(i, i + BULK_CHUNK);
        await db.transaction('rw', stepTables(deps), async () => {
          for (const leadId of chunk) if ((await tryEnroll(deps, leadId, plan.id, userActor(user))).ok) enrolled++;
          await touchWrittenLeads(deps);
        });
      }
      deps.wake();
      return { enrolled, skipped: leadIds.length - enrolled };
    },
    async 'enrollments.recordReply'({ leadId, channel }) {
      const result = await recordReply(deps, leadId, channel);
      deps.wake();
      return result;
    },
  };
}

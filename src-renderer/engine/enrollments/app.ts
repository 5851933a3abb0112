import type { EnrollmentAction, enrollmentsContract } from '@shared/contract/enrollments';
import type { Actor, Enrollment } from '@shared/model/enrollment';
import type { EnrollmentId, LeadId, PlanId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import { AppError, conflict, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';
import { getLead } from '../leads/app';
import { touchLead } from '../leads/touch';
import { getPlan } from '../plans/app';
import { positionAt } from './position';
import { allowedActions, nextState } from './state-machine';

const LIVE_STATES = new Set(['active', 'paused']);

/** Enrolls a lead in a plan now. At most one live (active or paused) enrollment per lead × plan. */
export async function enroll(deps: EngineDeps, leadId: LeadId, planId: PlanId, actor: Actor): Promise<Enrollment> {
  const { db, clock } = deps;
  const enrollment = await db.transaction('rw', [db.enrollments, db.plans, db.leads, db.history], async () => {
    const [lead, plan] = await Promise.all([getLead(deps, leadId), getPlan(deps, planId)]);
    if (plan.status !== 'ready') {
      throw conflict(`"${plan.name}" is a draft. Switch it to Ready before enrolling leads; draft plans never run.`, { planId });
    }
    const previous = await db.enrollments.where('[leadId+planId]').equals([leadId, planId]).toArray();
    const live = previous.find((e) => LIVE_STATES.has(e.state));
    if (live) throw conflict(`${leadDisplayName(lead)} is already in "${plan.name}" (${live.state}).`, { enrollmentId: live.id });
    if (!plan.allowRestart && previous.some((e) => e.state !== 'removed')) {
      throw conflict(`"${plan.name}" does not allow a lead to go through it again.`, { planId });
    }
    const now = clock.now();
    const base = { startedAt: now };
    const e: Enrollment = {
      id: deps.newId() as EnrollmentId,
      leadId,
      planId,
      state: 'active',
      iteration: 1,
      ...positionAt(plan.steps[0], base, lead),
      startedAt: now,
      pausedAt: null,
      engaged: false,
      enrolledBy: actor,
      exitReason: null,
      updatedAt: now,
    };
    await db.enrollments.add(e);
    await touchLead(deps, leadId);
    await record(db, deps.newId(), {
      leadId,
      at: now,
      kind: 'enrolled',
      summary: `Enrolled in "${plan.name}"`,
      actor,
      planId,
      enrollmentId: e.id,
    });
    return e;
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
  const { db, clock } = deps;
  const updated = await db.transaction('rw', [db.enrollments, db.plans, db.leads, db.history], async () => {
    const e = await db.enrollments.get(id);
    if (!e) throw notFound('Enrollment', id);
    const to = nextState(e.state, action);
    if (!to) {
      const allowed = allowedActions(e.state);
      throw new AppError(
        'Conflict',
        `A ${e.state} enrollment cannot ${action}${allowed.length ? `; it can ${allowed.join(' or ')}` : ''}.`,
        {
          state: e.state,
          allowed,
        },
      );
    }
    const [plan, lead] = await Promise.all([getPlan(deps, e.planId), getLead(deps, e.leadId)]);
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
        next = { ...next, startedAt, pausedAt: null, ...positionAt(step, { startedAt }, lead) };
        if (plan.status !== 'ready') next.nextDueAt = null;
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
          startedAt: now,
          pausedAt: null,
          exitReason: null,
          ...positionAt(plan.steps[0], { startedAt: now }, lead),
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
  });
  deps.wake();
  return updated;
}

export function createEnrollmentsHandlers(deps: EngineDeps): AreaHandlers<typeof enrollmentsContract> {
  const { db } = deps;
  return {
    async 'enrollments.enroll'({ leadId, planId }, { user }) {
      return enroll(deps, leadId, planId, userActor(user));
    },
    async 'enrollments.forLead'({ leadId }) {
      const rows = await db.enrollments.where('leadId').equals(leadId).toArray();
      const views = await Promise.all(
        rows
          .filter((e) => e.state !== 'removed')
          .map(async (e) => ({ ...e, planName: (await db.plans.get(e.planId))?.name ?? '(deleted plan)' })),
      );
      return views.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async 'enrollments.apply'({ id, action }, { user }) {
      return applyAction(deps, id, action, userActor(user));
    },
  };
}

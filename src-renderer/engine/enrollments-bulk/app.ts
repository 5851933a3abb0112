import Dexie from 'dexie';
import type { EnrollmentAction } from '@shared/contract/enrollments';
import type { BulkResult, EnrollLeadsResult, enrollmentsBulkContract, PlanLeadRow } from '@shared/contract/enrollments-bulk';
import type { EngineEvents } from '@shared/contract';
import type { Actor } from '@shared/model/enrollment';
import type { EnrollmentId, LeadId, PlanId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import { AppError, conflict, toErrorShape } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { actionTables, applyAction, applyActionIn } from '../enrollments/app';
import { tryEnroll } from '../enrollments/lifecycle';
import { stepTables } from '../scheduler/run-step';
import type { AreaHandlers } from '../handlers';
import { userActor } from '../history/history';
import { getPlan } from '../plans/app';
import { enrollmentsOfPlan } from '../store/queries';
import { touchWrittenLeads } from '../leads/touch';

/** Enrollments handled between two progress events: small enough for a smooth bar, big enough to stay cheap. */
export const BULK_CHUNK = 50;

export type Emit = <K extends keyof EngineEvents & string>(name: K, payload: EngineEvents[K]) => void;

/**
 * Runs an action over many enrollments through the state machine, reporting progress after every
 * chunk. A chunk is one transaction (each action in its own transaction cost ~5 ms in Chromium: 30 s
 * for 5,000 leads); a refusal of one is caught before it writes anything, so it never rolls back the
 * others. If the chunk's transaction itself fails, that chunk runs again action by action.
 */
export async function bulkApply(
  deps: EngineDeps,
  emit: Emit,
  ids: readonly EnrollmentId[],
  action: EnrollmentAction,
  actor: Actor,
  jobId: string,
): Promise<BulkResult> {
  const result: BulkResult = { total: ids.length, done: 0, refused: [] };
  const { db } = deps;
  for (let i = 0; i < ids.length; i += BULK_CHUNK) {
    const chunk = ids.slice(i, i + BULK_CHUNK);
    const outcomes = await db
      // An async scope: Dexie follows native awaits through a transaction only from an async function.
      .transaction('rw', actionTables(deps), async () => await applyEach(deps, chunk, action, actor, applyActionIn))
      .catch(() => applyEach(deps, chunk, action, actor, applyAction));
    for (const [k, refusal] of outcomes.entries()) {
      if (refusal === null) result.done++;
      else result.refused.push({ id: chunk[k]!, reason: refusal });
    }
    emit('bulkProgress', { jobId, done: Math.min(i + BULK_CHUNK, ids.length), total: ids.length });
  }
  deps.wake();
  return result;
}

/** Each action in turn; null where it was done, else why it was refused. A store failure is not a refusal: it propagates. */
async function applyEach(
  deps: EngineDeps,
  ids: readonly EnrollmentId[],
  action: EnrollmentAction,
  actor: Actor,
  apply: typeof applyAction,
): Promise<(string | null)[]> {
  const outcomes: (string | null)[] = [];
  for (const id of ids) {
    try {
      await apply(deps, id, action, actor);
      outcomes.push(null);
    } catch (err) {
      // Inside the chunk's transaction, a store error aborts the chunk (which then runs action by action).
      if (!(err instanceof AppError) && Dexie.currentTransaction) throw err;
      outcomes.push(toErrorShape(err).message);
    }
  }
  return outcomes;
}

/** Leads enrolled per transaction: short enough to keep the scheduler and views responsive, and one progress event each. */
const ENROLL_CHUNK = 250;

/** Enrolls many leads in one plan, chunk by chunk; a lead the rules refuse is skipped and counted, never an error. */
export async function enrollLeads(
  deps: EngineDeps,
  emit: Emit,
  planId: PlanId,
  leadIds: readonly LeadId[],
  actor: Actor,
  jobId: string,
): Promise<EnrollLeadsResult> {
  const plan = await getPlan(deps, planId);
  if (plan.status !== 'ready') throw conflict(`"${plan.name}" is a draft. Switch it to Ready before enrolling leads.`, { planId });
  const result: EnrollLeadsResult = { total: leadIds.length, enrolled: 0, skipped: 0, firstSkipReason: null };
  for (let i = 0; i < leadIds.length; i += ENROLL_CHUNK) {
    await deps.db.transaction('rw', stepTables(deps), async () => {
      for (const leadId of leadIds.slice(i, i + ENROLL_CHUNK)) {
        const attempt = await tryEnroll(deps, leadId, planId, actor);
        if (attempt.ok) result.enrolled++;
        else {
          result.skipped++;
          result.firstSkipReason ??= attempt.reason;
        }
      }
      await touchWrittenLeads(deps);
    });
    emit('bulkProgress', { jobId, done: Math.min(i + ENROLL_CHUNK, leadIds.length), total: leadIds.length });
  }
  deps.wake();
  return result;
}

export function createEnrollmentsBulkHandlers(deps: EngineDeps, emit: Emit): AreaHandlers<typeof enrollmentsBulkContract> {
  const { db } = deps;
  return {
    async 'enrollments.byPlanState'({ planId, state, offset, limit }) {
      const plan = await getPlan(deps, planId);
      // Two collections: Dexie's offset()/limit() change the collection they are called on, count included.
      const inState = () => db.enrollments.where('[planId+state]').equals([planId, state]);
      const [total, page] = await Promise.all([inState().count(), inState().offset(offset).limit(limit).toArray()]);
      const leads = await db.leads.bulkGet(page.map((e) => e.leadId));
      const rows = page.map((e, i): PlanLeadRow => {
        const lead = leads[i];
        const stepIndex = plan.steps.findIndex((s) => s.id === e.nextStepId);
        const step = plan.steps[stepIndex];
        return {
          ...e,
          leadName: lead ? leadDisplayName(lead) : '(deleted lead)',
          leadEmail: lead?.email ?? '',
          nextStepLabel: step ? `Step ${stepIndex + 1}${step.name ? ` · ${step.name}` : ''}` : null,
        };
      });
      return { rows, total };
    },

    async 'enrollments.idsByPlanState'({ planId, state }) {
      await getPlan(deps, planId);
      return { ids: await db.enrollments.where('[planId+state]').equals([planId, state]).primaryKeys() };
    },

    async 'enrollments.bulkApply'({ ids, action, jobId }, { user }) {
      return bulkApply(deps, emit, ids, action, userActor(user), jobId);
    },

    async 'enrollments.enrollLeads'({ planId, leadIds, jobId }, { user }) {
      return enrollLeads(deps, emit, planId, leadIds, userActor(user), jobId);
    },

    async 'enrollments.removeAllFromPlan'({ planId, jobId }, { user }) {
      await getPlan(deps, planId);
      // Completed enrollments are finished history, not enrolled leads: they stay as they are.
      const ids = await enrollmentsOfPlan(db, planId)
        .filter((e) => e.state === 'active' || e.state === 'paused' || e.state === 'stopped')
        .primaryKeys();
      return bulkApply(deps, emit, ids, 'remove', userActor(user), jobId);
    },
  };
}

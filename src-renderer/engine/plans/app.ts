import Dexie from 'dexie';
import type { PlanSummary, plansContract } from '@shared/contract/plans';
import type { PlanId } from '@shared/model/ids';
import type { Plan, PlanFields } from '@shared/model/plan';
import type { User } from '@shared/model/team';
import { conflict, notFound, validationFailed } from '@shared/rpc/errors';
import { toLead } from '../leads/app';
import type { EngineDeps } from '../deps';
import { realignEnrollments } from '../enrollments/realign';
import { userActor } from '../history/history';
import type { AreaHandlers } from '../handlers';
import { getSetting } from '../settings/store';
import { stepTables } from '../scheduler/run-step';
import { previewEdit } from './edit-preview';
import { previewPlan } from './preview';
import type { KnownIds } from './validate';
import { assertPlanValid } from './validate';
import { enrollmentsOfPlan } from '../store/queries';
import { touchWrittenLeads } from '../leads/touch';

export async function getPlan(deps: EngineDeps, id: PlanId): Promise<Plan> {
  const plan = await deps.db.plans.get(id);
  if (!plan) throw notFound('Plan', id);
  return plan;
}

async function knownIds(deps: EngineDeps): Promise<KnownIds> {
  const [plans, users] = await Promise.all([deps.db.plans.toCollection().primaryKeys(), deps.db.users.toCollection().primaryKeys()]);
  return { plans: new Set<string>(plans), users: new Set<string>(users) };
}

const STATES = ['active', 'paused', 'stopped', 'completed'] as const;

export function createPlansHandlers(deps: EngineDeps): AreaHandlers<typeof plansContract> {
  const { db, clock } = deps;

  async function summarize(plan: Plan): Promise<PlanSummary> {
    const counts = { active: 0, paused: 0, stopped: 0, completed: 0, engaged: 0 };
    await Promise.all(
      STATES.map(async (state) => {
        counts[state] = await db.enrollments.where('[planId+state]').equals([plan.id, state]).count();
      }),
    );
    // Through the engaged index: only the (few) engaged enrollments are read, not every one of the plan.
    counts.engaged = await db.enrollments
      .where('[planId+engagedAt]')
      .between([plan.id, Dexie.minKey], [plan.id, Dexie.maxKey])
      .filter((e) => e.state !== 'removed')
      .count();
    return { plan, counts };
  }

  async function save(id: PlanId, fields: PlanFields, user: User): Promise<Plan> {
    return db.transaction('rw', stepTables(deps), async () => {
      const before = await getPlan(deps, id);
      assertPlanValid(fields, await knownIds(deps));
      const plan: Plan = { ...before, ...fields, id, updatedAt: clock.now(), updatedBy: user.id };
      await db.plans.put(plan);
      // Edits apply to future executions: running enrollments keep their step and get new due times.
      await realignEnrollments(deps, before, plan, userActor(user));
      await touchWrittenLeads(deps);
      return plan;
    });
  }

  return {
    async 'plans.list'() {
      const plans = await db.plans.orderBy('updatedAt').reverse().toArray();
      return Promise.all(plans.map(summarize));
    },

    async 'plans.get'({ id }) {
      return getPlan(deps, id);
    },

    async 'plans.create'(fields, { user }) {
      assertPlanValid(fields, await knownIds(deps));
      const now = clock.now();
      const plan: Plan = { ...fields, id: deps.newId() as PlanId, createdAt: now, updatedAt: now, createdBy: user.id };
      await db.plans.add(plan);
      return plan;
    },

    async 'plans.update'({ id, plan }, { user }) {
      const saved = await save(id, plan, user);
      deps.wake();
      return saved;
    },

    async 'plans.setStatus'({ id, status }, { user }) {
      const before = await getPlan(deps, id);
      const saved = await save(id, { ...before, status }, user);
      deps.wake();
      return saved;
    },

    async 'plans.preview'({ planId, plan: draft, leadId, startAt, timeZone, eventDates }, { user }) {
      const plan = draft ?? (planId ? await getPlan(deps, planId) : null);
      if (!plan) throw validationFailed('Pick a plan to preview', [{ path: 'planId', message: 'Pick a plan to preview' }]);
      const policy = await getSetting(db, 'sendPolicy');
      const at = startAt ?? clock.now();
      if (leadId) {
        const row = await db.leads.get(leadId);
        if (!row) throw notFound('Lead', leadId);
        const lead = toLead(row);
        const touches = (await db.outbox.where('leadId').equals(leadId).toArray())
          .filter(
            (m) => (m.channel === 'email' || m.channel === 'sms') && m.planId !== null && m.status !== 'held' && m.status !== 'cancelled',
          )
          .map((m) => m.createdAt);
        return previewPlan(plan, { timeZone: lead.timeZone, eventDates: lead.eventDates, optOuts: lead.optOuts, touches }, at, policy);
      }
      const zone = timeZone ?? user.timeZone;
      return previewPlan(plan, { timeZone: zone, eventDates, optOuts: { email: false, sms: false }, touches: [] }, at, policy);
    },

    async 'plans.previewEdit'({ id, plan }) {
      return previewEdit(deps, await getPlan(deps, id), plan);
    },

    async 'plans.delete'({ id }) {
      await db.transaction('rw', db.plans, db.enrollments, async () => {
        await getPlan(deps, id);
        const enrolled = await enrollmentsOfPlan(db, id)
          // Completed enrollments are history, not enrolled leads; they keep their rows.
          .filter((e) => e.state === 'active' || e.state === 'paused' || e.state === 'stopped')
          .count();
        if (enrolled > 0) {
          throw conflict(`This plan has ${enrolled} enrolled lead${enrolled === 1 ? '' : 's'}. Remove them from the plan first.`, {
            enrolled,
          });
        }
        await db.plans.delete(id);
      });
      return { deleted: true };
    },
  };
}

import type { PlanSummary, plansContract } from '@shared/contract/plans';
import type { PlanId } from '@shared/model/ids';
import type { Plan, PlanFields } from '@shared/model/plan';
import { conflict, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { realignEnrollments } from '../enrollments/realign';
import type { AreaHandlers } from '../handlers';
import { assertPlanValid } from './validate';

export async function getPlan(deps: EngineDeps, id: PlanId): Promise<Plan> {
  const plan = await deps.db.plans.get(id);
  if (!plan) throw notFound('Plan', id);
  return plan;
}

async function knownPlanIds(deps: EngineDeps): Promise<Set<string>> {
  return new Set((await deps.db.plans.toCollection().primaryKeys()) as string[]);
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
    counts.engaged = await db.enrollments
      .where('planId')
      .equals(plan.id)
      .filter((e) => e.engaged && e.state !== 'removed')
      .count();
    return { plan, counts };
  }

  async function save(id: PlanId, fields: PlanFields): Promise<Plan> {
    return db.transaction('rw', db.plans, db.enrollments, db.leads, async () => {
      const before = await getPlan(deps, id);
      assertPlanValid(fields, await knownPlanIds(deps));
      const plan: Plan = { ...before, ...fields, id, updatedAt: clock.now() };
      await db.plans.put(plan);
      // Edits apply to future executions: running enrollments keep their step and get new due times.
      await realignEnrollments(deps, plan);
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
      assertPlanValid(fields, await knownPlanIds(deps));
      const now = clock.now();
      const plan: Plan = { ...fields, id: deps.newId() as PlanId, createdAt: now, updatedAt: now, createdBy: user.id };
      await db.plans.add(plan);
      return plan;
    },

    async 'plans.update'({ id, plan }) {
      const saved = await save(id, plan);
      deps.wake();
      return saved;
    },

    async 'plans.setStatus'({ id, status }) {
      const before = await getPlan(deps, id);
      const saved = await save(id, { ...before, status });
      deps.wake();
      return saved;
    },

    async 'plans.delete'({ id }) {
      await db.transaction('rw', db.plans, db.enrollments, async () => {
        await getPlan(deps, id);
        const enrolled = await db.enrollments
          .where('planId')
          .equals(id)
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

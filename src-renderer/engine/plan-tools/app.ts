import type { planToolsContract } from '@shared/contract/plan-tools';
import type { PlanId } from '@shared/model/ids';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { getLead } from '../leads/app';
import { getPlan } from '../plans/app';
import { planTimeline } from './timeline';

const MANAGERS = new Set(['primaryManager', 'manager']);

export function createPlanToolsHandlers(deps: EngineDeps): AreaHandlers<typeof planToolsContract> {
  const { db, clock } = deps;
  return {
    async 'plans.duplicate'({ id }, { user }) {
      const source = await getPlan(deps, id);
      const now = clock.now();
      // A copy starts as a draft (it must be reviewed before it runs) and is never locked.
      // Only managers keep an account-level copy; anyone else gets a personal one.
      const scope =
        source.scope.kind === 'account' && MANAGERS.has(user.role) ? source.scope : { kind: 'personal' as const, ownerUserId: user.id };
      const copy: Plan = {
        ...source,
        id: deps.newId() as PlanId,
        name: `${source.name} (copy)`.slice(0, 200),
        scope,
        status: 'draft',
        locked: false,
        createdAt: now,
        updatedAt: now,
        createdBy: user.id,
      };
      await db.plans.add(copy);
      return copy;
    },

    async 'plans.timeline'({ steps, leadId, startAt, timeZone, eventDates }, { user }) {
      const lead = leadId ? await getLead(deps, leadId) : null;
      return planTimeline(steps, {
        startAt: startAt ?? clock.now(),
        timeZone: lead?.timeZone ?? timeZone ?? user.timeZone,
        eventDates: { ...eventDates, ...(lead?.eventDates ?? {}) },
      });
    },
  };
}

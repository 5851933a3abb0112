import type { planToolsContract } from '@shared/contract/plan-tools';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { getLead } from '../leads/app';
import { planTimeline } from './timeline';
import { testWebhook } from './webhook-test';

export function createPlanToolsHandlers(deps: EngineDeps): AreaHandlers<typeof planToolsContract> {
  const { clock } = deps;
  return {
    async 'plans.timeline'({ steps, leadId, startAt, timeZone, eventDates }, { user }) {
      const lead = leadId ? await getLead(deps, leadId) : null;
      return planTimeline(steps, {
        startAt: startAt ?? clock.now(),
        timeZone: lead?.timeZone ?? timeZone ?? user.timeZone,
        eventDates: { ...eventDates, ...(lead?.eventDates ?? {}) },
      });
    },
    'plans.testWebhook'(params, { user }) {
      return testWebhook(deps, params, user);
    },
  };
}

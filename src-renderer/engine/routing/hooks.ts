import type { GuardMap } from '../team/guards';
import type { EngineDeps } from '../deps';
import { assignNewLead } from './route';
import { touchWrittenLeads } from '../leads/touch';

/** New leads are routed in the transaction that creates them: a lead is never left without its people. */
export function routingHooks(deps: EngineDeps): GuardMap {
  const { db } = deps;
  return {
    'leads.create': (handler) => async (fields, ctx) =>
      db.transaction('rw', db.tables, async () => {
        const lead = await assignNewLead(deps, await handler(fields, ctx), ctx.user);
        await touchWrittenLeads(deps);
        return lead;
      }),
  };
}

import type { outboxContract } from '@shared/contract/outbox';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';

export function createOutboxHandlers(deps: EngineDeps): AreaHandlers<typeof outboxContract> {
  return {
    async 'outbox.list'({ leadId, limit }) {
      const rows = leadId
        ? await deps.db.outbox.where('leadId').equals(leadId).toArray()
        : await deps.db.outbox.orderBy('createdAt').reverse().limit(limit).toArray();
      return rows.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
  };
}

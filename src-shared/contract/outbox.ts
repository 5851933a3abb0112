import { z } from 'zod';
import type { OutboxMessage } from '../model/outbox';
import { leadId } from '../model/ids';
import { method } from '../rpc/spec';

export const outboxContract = {
  'outbox.list': method<OutboxMessage[]>()(z.object({ leadId: leadId.optional(), limit: z.number().int().min(1).max(1000).default(200) })),
};

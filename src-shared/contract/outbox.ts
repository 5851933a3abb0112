import { z } from 'zod';
import type { OutboxMessage } from '../model/outbox';
import { leadId, outboxId, planId } from '../model/ids';
import { method } from '../rpc/spec';

export const outboxContract = {
  'outbox.list': method<OutboxMessage[]>()(
    z.object({
      leadId: leadId.optional(),
      planId: planId.optional(),
      channel: z.enum(['email', 'sms', 'webhook', 'notification']).optional(),
      status: z.enum(['held', 'queued', 'sending', 'sent', 'failed', 'cancelled']).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
  ),
  /** Try a queued or failed message again now (after fixing the account, the URL, the server). */
  'outbox.retry': method<OutboxMessage>()(z.object({ id: outboxId })),
  /** Never send a queued or failed message; it stays listed as cancelled. */
  'outbox.cancel': method<OutboxMessage>()(z.object({ id: outboxId })),
};

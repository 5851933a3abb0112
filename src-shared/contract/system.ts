import { z } from 'zod';
import { method } from '../rpc/spec';

export const systemContract = {
  /** Run the scheduler now: after resume from sleep, app start, or a test clock change. */
  'system.wake': method<{ woke: true }>()(z.object({ reason: z.string() })),
};

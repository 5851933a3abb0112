import { z } from 'zod';
import { method } from '../rpc/spec';

export const systemContract = {
  /** Run the scheduler now: after resume from sleep, app start, or a test clock change. */
  'system.wake': method<{ woke: true }>()(z.object({ reason: z.string() })),
  /** The engine's "now" (epoch ms): views that say "today" or "overdue" follow it, also under the test clock. */
  'system.now': method<{ now: number }>()(z.object({})),
  /** Test mode only: adds `count` generated leads fast (benchmarks and end-to-end tests). */
  'system.seedLeads': method<{ added: number }>()(
    z.object({ count: z.number().int().min(1).max(200_000), seed: z.number().int().default(1) }),
  ),
};

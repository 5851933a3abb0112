import { z } from 'zod';
import { timeOfDaySchema } from './plan';

const hoursSchema = z
  .object({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((h) => h.start < h.end, { message: 'The allowed hours must end after they start', path: ['end'] });

/**
 * Account-wide sending rules (DESIGN §5), applied in the lead's local time:
 * - `allowedHours` per channel: outside them a message waits (quiet hours); null means any time.
 *   SMS defaults to 08:00–21:00 (US TCPA-style quiet hours); email has none by default.
 * - `dailyTouchCap`: at most this many automated emails and texts per lead per local day across all
 *   plans; more carry over to the next day instead of being dropped. 0 turns the cap off.
 *   Default 3: a welcome email, a welcome text and one follow-up on day one, never a pile-up from
 *   two plans at once.
 */
export const sendPolicySchema = z.object({
  allowedHours: z.object({ email: hoursSchema.nullable(), sms: hoursSchema.nullable() }),
  dailyTouchCap: z.number().int().min(0).max(50),
});
export type SendPolicy = z.infer<typeof sendPolicySchema>;

export const DEFAULT_SEND_POLICY: SendPolicy = {
  allowedHours: { email: null, sms: { start: '08:00', end: '21:00' } },
  dailyTouchCap: 3,
};

/** The channels that reach a lead directly and so count as touches. */
export type TouchChannel = 'email' | 'sms';

import { z } from 'zod';
import { isValidTimeZone } from '../time-zone';
import type { EpochMs, LeadId, PlanId, UserId } from './ids';
import { userId } from './ids';

const trimmed = z.string().trim();

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'Unknown time zone (use an IANA name such as America/New_York)' });

/** E.164: a plus sign, the country code and the number, no spaces (e.g. +14155550123). */
export const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'Phone must be in E.164 form, e.g. +14155550123');

export const assigneesSchema = z.object({
  buyerAgent: userId.optional(),
  listingAgent: userId.optional(),
  lender: userId.optional(),
});

/** What a user types to create or edit a lead; validated at the engine's door. */
export const leadInputSchema = z.object({
  firstName: trimmed.min(1, 'First name is required').max(100),
  lastName: trimmed.max(100).default(''),
  email: z
    .union([z.literal(''), trimmed.toLowerCase().pipe(z.email('Email address is not valid'))])
    .optional()
    .transform((v) => (v ? v : undefined)),
  phone: z
    .union([z.literal(''), e164Schema])
    .optional()
    .transform((v) => (v ? v : undefined)),
  timeZone: timeZoneSchema,
  stage: trimmed.max(60).default('New'),
  /** ClientTether's contact type (Lead, Client, Past client, ...); a plan step can change it. */
  contactType: trimmed.min(1).max(60).default('Lead'),
  source: trimmed.max(60).default(''),
  tags: z.array(trimmed.min(1).max(60)).default([]),
  assignees: assigneesSchema.default({}),
  /** Where the lead wants to buy or sell and for how much: routing rules match on these. */
  price: z.number().min(0, 'Price cannot be negative').optional(),
  city: trimmed.max(100).optional(),
  zip: trimmed.max(20).optional(),
  /** Event dates by name, as calendar dates in the lead's zone (YYYY-MM-DD). */
  eventDates: z.record(z.string().min(1), z.iso.date()).default({}),
});
export type LeadInput = z.input<typeof leadInputSchema>;
export type LeadFields = z.output<typeof leadInputSchema>;

export interface OptOuts {
  email: boolean;
  sms: boolean;
}

/**
 * A lead routed on a manager's computer to someone whose personal plan lives on their own computer
 * (team server): that computer enrolls it and clears this (engine/sync/effects.ts).
 */
export interface PendingRouting {
  userId: UserId;
  ruleId: string;
  ruleName: string;
  planId: PlanId | null;
}

export interface Lead extends LeadFields {
  id: LeadId;
  optOuts: OptOuts;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  createdBy: UserId;
  pendingRouting?: PendingRouting | null;
}

export function leadDisplayName(lead: Pick<Lead, 'firstName' | 'lastName'>): string {
  return `${lead.firstName} ${lead.lastName}`.trim();
}

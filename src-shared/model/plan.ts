import { z } from 'zod';
import type { EpochMs, PlanId, UserId } from './ids';
import { planId, stepId, userId } from './ids';

export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Time must be HH:mm (24-hour)');
export const durationUnitSchema = z.enum(['minutes', 'hours', 'days', 'weeks']);
export type DurationUnit = z.infer<typeof durationUnitSchema>;

const amount = z.number().int('Use a whole number').min(0, 'Cannot be negative').max(10_000, 'Too large');

/** When a step fires. Relative timings count from the enrollment start (DESIGN §2). */
export const timingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('immediate') }),
  z.object({ kind: z.literal('after'), amount, unit: durationUnitSchema }),
  z.object({
    kind: z.literal('onDay'),
    day: z.number().int().min(1, 'Day 1 is the enrollment day').max(3650),
    time: timeOfDaySchema,
    businessDaysOnly: z.boolean().default(false),
  }),
  z.object({
    kind: z.enum(['beforeEvent', 'afterEvent']),
    event: z.string().min(1, 'Pick the event date this step is tied to'),
    amount,
    unit: durationUnitSchema,
    time: timeOfDaySchema.optional(),
  }),
]);
export type Timing = z.infer<typeof timingSchema>;
export type TimingInput = z.input<typeof timingSchema>;

const text = z.string().max(100_000);
const review = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('none') }),
    z.object({ mode: z.literal('reviewFirst') }),
    z.object({ mode: z.literal('sendUnlessReviewed'), hours: z.number().min(1).max(720) }),
  ])
  .default({ mode: 'none' });

const tagList = z.array(z.string().trim().min(1)).min(1, 'Pick at least one tag');

/** Step kinds: the union of the seeds' products (DESIGN §2). */
export const stepActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), subject: text, body: text, templateId: z.string().optional(), review }),
  z.object({ kind: z.literal('sms'), body: text, templateId: z.string().optional(), review }),
  z.object({ kind: z.literal('task'), title: z.string().min(1, 'A task needs a title'), notes: text.default('') }),
  z.object({ kind: z.literal('automatedCall'), title: z.string().min(1, 'A call task needs a title'), script: text.default('') }),
  z.object({ kind: z.literal('addTags'), tags: tagList }),
  z.object({ kind: z.literal('removeTags'), tags: tagList }),
  z.object({ kind: z.literal('changeStage'), stage: z.string().trim().min(1, 'Pick a stage') }),
  z.object({ kind: z.literal('changeContactType'), contactType: z.string().trim().min(1, 'Pick a contact type') }),
  z.object({ kind: z.literal('addNote'), note: z.string().min(1, 'A note cannot be empty') }),
  z.object({ kind: z.literal('assignUser'), role: z.enum(['buyerAgent', 'listingAgent', 'lender']), userId }),
  z.object({ kind: z.literal('unassignUser'), role: z.enum(['buyerAgent', 'listingAgent', 'lender']) }),
  z.object({ kind: z.literal('assignPlan'), planId }),
  z.object({ kind: z.literal('pausePlan'), planId }),
  z.object({ kind: z.literal('pauseAllPlans') }),
  z.object({ kind: z.literal('repeatPlan') }),
  z.object({
    kind: z.literal('webhook'),
    method: z.enum(['GET', 'POST', 'PUT']),
    url: z.url({ protocol: /^https?$/, error: 'Webhook URL must start with http:// or https://' }),
    headers: z.array(z.object({ name: z.string().min(1), value: z.string() })).default([]),
    payload: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('fields'), fields: z.array(z.object({ key: z.string().min(1), value: z.string() })) }),
      z.object({ mode: z.literal('allLeadFields') }),
    ]),
  }),
]);
export type StepAction = z.infer<typeof stepActionSchema>;
export type StepKind = StepAction['kind'];

export const stepSchema = z.intersection(
  z.object({
    id: stepId,
    name: z.string().trim().max(200).default(''),
    notifyMe: z.boolean().default(false),
    timing: timingSchema,
    /** Traditional plans: hold this step until the task the previous step made for the user is done. */
    waitForPreviousTask: z.boolean().default(false),
  }),
  stepActionSchema,
);
export type Step = z.infer<typeof stepSchema>;
export type StepInput = z.input<typeof stepSchema>;

export const planCategorySchema = z.enum(['connection', 'conversion', 'retention', 'event', 'seasonal']);
export const planTypeSchema = z.enum(['traditional', 'fullyAutomated']);
export const planStatusSchema = z.enum(['draft', 'ready']);
/**
 * What happens to a message step overdue by more than the grace after downtime (DESIGN §5):
 * send it late, skip it, turn it into a task for the user, or hold it in the review queue.
 */
export const misfirePolicySchema = z.enum(['sendLate', 'skip', 'task', 'review']);
export type MisfirePolicy = z.infer<typeof misfirePolicySchema>;

const weekdaySchema = z.number().int().min(1).max(7);
/** Hours a plan may send messages in, in the lead's local time (e.g. weekdays 09:00-18:00). */
export const sendWindowSchema = z
  .object({
    days: z.array(weekdaySchema).min(1, 'Pick at least one day').default([1, 2, 3, 4, 5]),
    start: timeOfDaySchema,
    end: timeOfDaySchema,
  })
  .refine((w) => w.start < w.end, { message: 'The window must end after it starts', path: ['end'] });
export type SendWindow = z.infer<typeof sendWindowSchema>;

export const planScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account') }),
  z.object({ kind: z.literal('personal'), ownerUserId: userId }),
]);
export type PlanScope = z.infer<typeof planScopeSchema>;

export const planInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the plan a name').max(200),
  scope: planScopeSchema,
  type: planTypeSchema.default('fullyAutomated'),
  category: planCategorySchema.default('connection'),
  status: planStatusSchema.default('draft'),
  locked: z.boolean().default(false),
  nextPlanId: planId.optional(),
  triggers: z
    .object({ sources: z.array(z.string()), stages: z.array(z.string()), tags: z.array(z.string()) })
    .default({ sources: [], stages: [], tags: [] }),
  pauseOnReply: z.boolean().default(true),
  /** What happens to a message that is overdue by more than `graceHours` after downtime (DESIGN §5). */
  misfire: z
    .object({ policy: misfirePolicySchema, graceHours: z.number().min(0).max(720) })
    .default({ policy: 'sendLate', graceHours: 24 }),
  allowRestart: z.boolean().default(true),
  /** Message steps of this plan go out only inside this window (lead's time); null: any time. */
  sendWindow: sendWindowSchema.nullable().default(null),
  steps: z.array(stepSchema).max(500),
});
export type PlanInput = z.input<typeof planInputSchema>;
export type PlanFields = z.output<typeof planInputSchema>;

export interface Plan extends PlanFields {
  id: PlanId;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  createdBy: UserId;
  /** Who saved the plan last (absent on plans saved before it was kept). */
  updatedBy?: UserId;
}

export type PlanStatus = z.infer<typeof planStatusSchema>;

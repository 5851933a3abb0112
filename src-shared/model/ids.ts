import { z } from 'zod';

/** Branded ids: a LeadId can never be passed where a PlanId is expected. */
export const leadId = z.string().min(1).brand<'LeadId'>();
export const planId = z.string().min(1).brand<'PlanId'>();
export const stepId = z.string().min(1).brand<'StepId'>();
export const enrollmentId = z.string().min(1).brand<'EnrollmentId'>();
export const userId = z.string().min(1).brand<'UserId'>();
export const outboxId = z.string().min(1).brand<'OutboxId'>();
export const templateId = z.string().min(1).brand<'TemplateId'>();

export type LeadId = z.infer<typeof leadId>;
export type PlanId = z.infer<typeof planId>;
export type StepId = z.infer<typeof stepId>;
export type EnrollmentId = z.infer<typeof enrollmentId>;
export type UserId = z.infer<typeof userId>;
export type OutboxId = z.infer<typeof outboxId>;
export type TemplateId = z.infer<typeof templateId>;

/** An instant: UTC epoch milliseconds. Local times are computed in a zone, never stored. */
export type EpochMs = number;

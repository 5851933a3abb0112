import { z } from 'zod';
import type { Enrollment } from '../model/enrollment';
import { enrollmentId, leadId, planId } from '../model/ids';
import { method } from '../rpc/spec';

export interface EnrollmentView extends Enrollment {
  planName: string;
  /**
   * On a team's computer, when another computer runs this enrollment's steps, or it waits for the
   * team's daily count: in words ("Runs on Alex Agent’s laptop"). Null when it runs here.
   */
  runsOn: string | null;
}

/** The user-facing transitions of DESIGN §3; the engine's state machine decides which are allowed. */
export const enrollmentActionSchema = z.enum(['pause', 'resume', 'stop', 'restart', 'remove']);
export type EnrollmentAction = z.infer<typeof enrollmentActionSchema>;

/** "All leads with these tags / this stage / these sources": every given criterion must match. */
export const bulkSelectionSchema = z
  .object({
    planId,
    tags: z.array(z.string().trim().min(1)).default([]),
    stages: z.array(z.string().trim().min(1)).default([]),
    sources: z.array(z.string().trim().min(1)).default([]),
  })
  .refine((s) => s.tags.length + s.stages.length + s.sources.length > 0, {
    message: 'Pick at least one tag, stage or source',
    path: ['tags'],
  });

export interface BulkPreview {
  /** Leads that match the selection. */
  matching: number;
  /** Of those, how many would be enrolled now. */
  willEnroll: number;
  alreadyInPlan: number;
  notAllowedAgain: number;
}

export interface BulkResult {
  enrolled: number;
  skipped: number;
}

export const enrollmentsContract = {
  'enrollments.enroll': method<Enrollment>()(z.object({ leadId, planId })),
  'enrollments.forLead': method<EnrollmentView[]>()(z.object({ leadId })),
  'enrollments.apply': method<Enrollment>()(z.object({ id: enrollmentId, action: enrollmentActionSchema })),
  /** How many leads a bulk assignment would enroll, before doing it. */
  'enrollments.bulkPreview': method<BulkPreview>()(bulkSelectionSchema),
  'enrollments.bulkEnroll': method<BulkResult>()(bulkSelectionSchema),
  /** The lead replied (IMAP, SMS gateway): marks live enrollments engaged; pause-on-reply plans pause. */
  'enrollments.recordReply': method<{ engaged: number; paused: number }>()(z.object({ leadId, channel: z.enum(['email', 'sms']) })),
};

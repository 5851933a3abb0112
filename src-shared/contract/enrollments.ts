import { z } from 'zod';
import type { Enrollment } from '../model/enrollment';
import { enrollmentId, leadId, planId } from '../model/ids';
import { method } from '../rpc/spec';

export interface EnrollmentView extends Enrollment {
  planName: string;
}

/** The user-facing transitions of DESIGN §3; the engine's state machine decides which are allowed. */
export const enrollmentActionSchema = z.enum(['pause', 'resume', 'stop', 'restart', 'remove']);
export type EnrollmentAction = z.infer<typeof enrollmentActionSchema>;

export const enrollmentsContract = {
  'enrollments.enroll': method<Enrollment>()(z.object({ leadId, planId })),
  'enrollments.forLead': method<EnrollmentView[]>()(z.object({ leadId })),
  'enrollments.apply': method<Enrollment>()(z.object({ id: enrollmentId, action: enrollmentActionSchema })),
};

import type { EnrollmentAction } from '@shared/contract/enrollments';
import type { EnrollmentState } from '@shared/model/enrollment';

/**
 * The enrollment transitions of DESIGN §3, as one table:
 * active → pause / stop / remove; paused → resume / remove; stopped → restart / remove;
 * completed → restart (from step one). Everything else is refused.
 */
export const TRANSITIONS: Record<EnrollmentState, Partial<Record<EnrollmentAction, EnrollmentState>>> = {
  active: { pause: 'paused', stop: 'stopped', remove: 'removed' },
  paused: { resume: 'active', remove: 'removed' },
  stopped: { restart: 'active', remove: 'removed' },
  completed: { restart: 'active' },
  removed: {},
};

export function nextState(from: EnrollmentState, action: EnrollmentAction): EnrollmentState | null {
  return TRANSITIONS[from][action] ?? null;
}

export function allowedActions(from: EnrollmentState): EnrollmentAction[] {
  return Object.keys(TRANSITIONS[from]) as EnrollmentAction[];
}

import type { Enrollment } from '@shared/model/enrollment';
import type { EpochMs } from '@shared/model/ids';
import type { OutboxPriority } from '@shared/model/outbox';
import type { Timing } from '@shared/model/plan';

/** An enrollment this young is a lead that just arrived: its immediate steps are speed to lead. */
export const NEW_ENROLLMENT_MS = 3_600_000;

/**
 * Speed to lead: a new enrollment's immediate steps go before catch-up backlog. An immediate step of
 * an enrollment started days ago (the laptop was closed) is backlog like any other.
 */
export function stepPriority(timing: Timing, enrollment: Pick<Enrollment, 'startedAt' | 'iteration'>, now: EpochMs): OutboxPriority {
  return timing.kind === 'immediate' && enrollment.iteration === 1 && now - enrollment.startedAt < NEW_ENROLLMENT_MS ? 'high' : 'normal';
}

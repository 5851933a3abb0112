/**
 * When the hidden engine window dies, main recreates it, waiting longer after each failure so a crash loop
 * does not burn the CPU; after too many failures in a short time it stops and asks the user.
 */

export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Failures allowed within `windowMs`; one more and the supervisor gives up. */
  maxFailures: number;
  windowMs: number;
  /** How long the engine may stay unresponsive before it counts as failed (a long tick must not kill it). */
  unresponsiveMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxFailures: 5,
  windowMs: 60_000,
  unresponsiveMs: 30_000,
};

export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'giveUp'; failures: number };

/** A renderer that exited cleanly was closed on purpose (quit, reload); every other reason is a failure. */
export function isEngineFailure(reason: string): boolean {
  return reason !== 'clean-exit';
}

/** Pure: given the earlier failure times, what to do about a failure at `now`, and the times to remember. */
export function decideRestart(
  earlierFailures: readonly number[],
  now: number,
  policy: RestartPolicy,
): { decision: RestartDecision; failures: number[] } {
  const failures = [...earlierFailures.filter((t) => now - t < policy.windowMs), now];
  if (failures.length > policy.maxFailures) return { decision: { action: 'giveUp', failures: failures.length }, failures };
  const delayMs = Math.min(policy.firstDelayMs * 2 ** (failures.length - 1), policy.maxDelayMs);
  return { decision: { action: 'restart', delayMs }, failures };
}

export interface EngineSupervisor {
  onFailure(now: number): RestartDecision;
  /** The user asked to try again: start counting afresh. */
  reset(): void;
}

export function createEngineSupervisor(policy: RestartPolicy = defaultRestartPolicy): EngineSupervisor {
  let failures: number[] = [];
  return {
    onFailure(now) {
      const next = decideRestart(failures, now, policy);
      failures = next.failures;
      return next.decision;
    },
    reset() {
      failures = [];
    },
  };
}

import { describe, expect, it } from 'vitest';
import type { RestartPolicy } from '../../../src-main/desktop/engine-supervisor';
import { createEngineSupervisor, decideRestart, defaultRestartPolicy, isEngineFailure } from '../../../src-main/desktop/engine-supervisor';

const policy: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 5_000, maxFailures: 5, windowMs: 60_000, unresponsiveMs: 30_000 };

describe('engine restart policy', () => {
  it('waits 1 s, then 2 s, then 4 s… between restarts, never more than the cap', () => {
    const supervisor = createEngineSupervisor(policy);
    const delays = [0, 1, 2, 3, 4].map((i) => supervisor.onFailure(i * 1_000));
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000].map((delayMs) => ({ action: 'restart', delayMs })));
  });

  it('gives up after too many failures within a minute', () => {
    const supervisor = createEngineSupervisor(policy);
    for (let i = 0; i < policy.maxFailures; i++) expect(supervisor.onFailure(i).action).toBe('restart');
    expect(supervisor.onFailure(10)).toEqual({ action: 'giveUp', failures: policy.maxFailures + 1 });
  });

  it('failures older than a minute are forgotten, so an engine that ran fine for a while restarts quickly again', () => {
    const first = decideRestart([], 0, policy);
    const second = decideRestart(first.failures, 1_000, policy);
    expect(second.decision).toEqual({ action: 'restart', delayMs: 2_000 });

    const later = decideRestart(second.failures, 61_001, policy);
    expect(later.decision).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(later.failures).toEqual([61_001]);
  });

  it('after the user asks to try again, counting starts afresh', () => {
    const supervisor = createEngineSupervisor({ ...policy, maxFailures: 1 });
    supervisor.onFailure(0);
    expect(supervisor.onFailure(1).action).toBe('giveUp');
    supervisor.reset();
    expect(supervisor.onFailure(2)).toEqual({ action: 'restart', delayMs: 1_000 });
  });

  it('the shipped policy starts at 1 s, caps the wait and gives up within a minute', () => {
    expect(defaultRestartPolicy.firstDelayMs).toBe(1_000);
    expect(defaultRestartPolicy.windowMs).toBe(60_000);
    expect(defaultRestartPolicy.maxDelayMs).toBeGreaterThanOrEqual(defaultRestartPolicy.firstDelayMs);
    expect(defaultRestartPolicy.maxFailures).toBeGreaterThan(0);
  });

  it('only a clean exit is not a failure', () => {
    expect(isEngineFailure('clean-exit')).toBe(false);
    for (const reason of ['crashed', 'killed', 'oom', 'abnormal-exit', 'launch-failed', 'integrity-failure', 'memory-eviction']) {
      expect(isEngineFailure(reason), reason).toBe(true);
    }
  });
});

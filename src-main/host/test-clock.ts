import type { TestClock } from './types';

/** A clock offset that only moves forward: end-to-end tests jump days ahead instead of waiting. */
export function createTestClock(): TestClock {
  let offset = 0;
  return {
    offsetMs: () => offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`The test clock only moves forward by a finite amount, not ${ms} ms`);
      offset += ms;
    },
  };
}

import type { EpochMs } from '@shared/model/ids';

/** The engine never calls Date.now() directly: every rule is tested with a controlled clock (DESIGN §5). */
export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock shifted by an offset: the e2e tests' clock, which follows the host's test clock. */
export class OffsetClock implements Clock {
  private offset = 0;
  now(): EpochMs {
    return Date.now() + this.offset;
  }
  /** Returns true when the offset changed. */
  setOffset(ms: number): boolean {
    const changed = ms !== this.offset;
    this.offset = ms;
    return changed;
  }
}

/** A clock that moves only when told: unit tests. */
export class ManualClock implements Clock {
  constructor(private t: EpochMs) {}
  now(): EpochMs {
    return this.t;
  }
  set(t: EpochMs): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

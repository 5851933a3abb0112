import Dexie from 'dexie';
import type { EngineDeps } from './deps';
import { dispatchDue, nextAttemptAt, recoverInterrupted } from './outbox/dispatcher';
import { nextStepDueAt, runDueSteps } from './scheduler/scheduler';

/** Sleeps are capped so a changed system clock or a missed wake never leaves work waiting long. */
export const MAX_SLEEP_MS = 60_000;

/** Only one engine per database runs the scheduler (two tabs must not send twice): Web Locks. */
export interface SchedulerLock {
  /** Calls `onAcquired` once this engine holds the lock; holds it until `release`. */
  acquire(onAcquired: () => void): void;
  release(): void;
}

export function webLock(name: string): SchedulerLock {
  let release: (() => void) | null = null;
  return {
    acquire(onAcquired) {
      void navigator.locks.request(name, () => {
        onAcquired();
        return new Promise<void>((resolve) => (release = resolve));
      });
    },
    release() {
      release?.();
    },
  };
}

export const noLock: SchedulerLock = { acquire: (f) => f(), release: () => undefined };

export interface SchedulerLoop {
  readonly running: boolean;
  /** Starts once the lock is held. */
  start(): void;
  stop(): void;
  /** Look for due work now (data changed, resume from sleep, clock changed). */
  wake(): void;
  /** One pass: run due steps, then send due messages. Tests call this with a controlled clock. */
  runOnce(): Promise<void>;
  onStateChange(listener: (running: boolean) => void): void;
}

export function createSchedulerLoop(deps: EngineDeps, lock: SchedulerLock): SchedulerLoop {
  let running = false;
  let stopped = false;
  let wakeRequested = false;
  let wakeUp: (() => void) | null = null;
  const listeners: ((running: boolean) => void)[] = [];

  async function runOnce(): Promise<void> {
    await runDueSteps(deps, deps.clock.now());
    await dispatchDue(deps);
  }

  async function sleepMs(): Promise<number> {
    const [step, message] = await Promise.all([nextStepDueAt(deps), nextAttemptAt(deps)]);
    const next = Math.min(step ?? Infinity, message ?? Infinity);
    return Math.max(0, Math.min(next - deps.clock.now(), MAX_SLEEP_MS));
  }

  async function loop(): Promise<void> {
    await recoverInterrupted(deps);
    while (!stopped) {
      wakeRequested = false;
      try {
        // A wake() called inside some handler's transaction must not pull the pass into that
        // transaction's zone (Dexie follows promises): each pass runs outside any transaction.
        await Dexie.ignoreTransaction(() => runOnce());
      } catch (err) {
        // One bad record must never stop the scheduler: log it and go on after a short pause.
        console.error(`scheduler pass failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, err);
      }
      if (stopped) break;
      const ms = wakeRequested ? 0 : await sleepMs().catch(() => 1_000);
      if (ms > 0 && !wakeRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
      }
    }
  }

  return {
    get running() {
      return running;
    },
    start() {
      lock.acquire(() => {
        if (stopped) return;
        running = true;
        for (const l of listeners) l(true);
        void loop();
      });
    },
    stop() {
      stopped = true;
      running = false;
      wakeUp?.();
      lock.release();
      for (const l of listeners) l(false);
    },
    wake() {
      wakeRequested = true;
      // Resolve from a fresh task, so the loop never continues inside the caller's transaction.
      const w = wakeUp;
      if (w) setTimeout(w, 0);
    },
    runOnce,
    onStateChange(listener) {
      listeners.push(listener);
    },
  };
}

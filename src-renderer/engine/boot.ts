import type { HostTransport } from '@shared/contract/host';
import type { Engine } from './app';
import { createEngine } from './app';
import { OffsetClock, systemClock } from './clock';
import { webLock } from './runtime';
import { AppDb } from './store/db';
import { DB_NAME } from './store/schema';

const TEST_CLOCK_POLL_MS = 200;

/**
 * Starts the engine in a browser context (worker or hidden window) over the real IndexedDB.
 * In test mode the clock follows the host's test clock, so e2e tests can move time forward.
 * The caller starts the scheduler once it serves its first channel, so views hear that it runs.
 */
export async function bootEngine(host: HostTransport): Promise<Engine> {
  const info = await host.call('host.info', {});
  const clock = info.testMode ? new OffsetClock() : systemClock;
  const engine = await createEngine({
    db: new AppDb(DB_NAME),
    clock,
    host,
    lock: webLock(`${DB_NAME}:scheduler`),
    testMode: info.testMode,
  });
  if (clock instanceof OffsetClock) {
    const poll = async (): Promise<void> => {
      const { offsetMs } = await host.call('clock.offset', {});
      if (!clock.setOffset(offsetMs)) return;
      engine.scheduler.wake();
      engine.deps.emit?.('clockChanged', { now: clock.now() });
    };
    await poll();
    setInterval(() => void poll().catch(() => undefined), TEST_CLOCK_POLL_MS);
  }
  return engine;
}

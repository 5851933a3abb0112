import { useEffect, useState } from 'react';
import type { EngineClient } from './engine-client';
import { useClient } from './store';

/**
 * How far the engine's clock is ahead of this window's. Zero in the app (one machine, one clock);
 * in web test mode the engine follows the host's test clock, and "today" must follow the engine.
 */
let offsetMs = 0;
const listeners = new Set<() => void>();
const synced = new WeakSet<EngineClient>();
/** Below this, a difference is the round trip, not another clock. */
const SAME_CLOCK_MS = 1000;

function syncWith(client: EngineClient): void {
  if (synced.has(client)) return;
  synced.add(client);
  const sync = (): void => {
    const sent = Date.now();
    client.call('system.now', {}).then(
      ({ now }) => {
        const diff = now - Math.round((sent + Date.now()) / 2);
        const next = Math.abs(diff) < SAME_CLOCK_MS ? 0 : diff;
        if (next === offsetMs) return;
        offsetMs = next;
        for (const l of listeners) l();
      },
      () => undefined, // an older engine without system.now: keep this window's clock
    );
  };
  sync();
  client.on('clockChanged', sync);
}

/** "Now" as the engine sees it (use it for snooze times, "overdue", "today"). */
export function engineNow(): number {
  return Date.now() + offsetMs;
}

/** The engine's current time, refreshed every `everyMs` and at once when the engine's clock jumps. */
export function useNow(everyMs = 60_000): number {
  const client = useClient();
  const [now, setNow] = useState(engineNow);
  useEffect(() => {
    syncWith(client);
    const tick = () => setNow(engineNow());
    listeners.add(tick);
    tick();
    const timer = setInterval(tick, everyMs);
    return () => {
      clearInterval(timer);
      listeners.delete(tick);
    };
  }, [client, everyMs]);
  return now;
}

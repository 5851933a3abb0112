import { describe, expect, it } from 'vitest';
import type { EngineContract, EngineEvents } from '@shared/contract';
import { createRpcClient } from '@shared/rpc/client';
import { serveRpc } from '@shared/rpc/server';
import { method } from '@shared/rpc/spec';
import { z } from 'zod';
import { startEngine } from './harness';

const ping = { ping: method<{ pong: true }>()(z.object({})) };
const tick = () => new Promise((r) => setTimeout(r, 10));

function pair() {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  return { ui: port1, engine: port2 };
}

describe('the engine lets go of closed windows', () => {
  it('a client that closes says goodbye, and the server stops listening and posting to its port', async () => {
    const { ui, engine } = pair();
    let closed = 0;
    const server = serveRpc(
      engine,
      ping,
      { ping: () => Promise.resolve({ pong: true as const }) },
      {
        context: () => Promise.resolve({}),
        onClose: () => closed++,
      },
    );
    const client = createRpcClient<typeof ping, { hello: number }>(ui);
    expect(await client.call('ping', {})).toEqual({ pong: true });
    const heard: number[] = [];
    ui.addEventListener('message', (ev: MessageEvent<{ t: string; payload: number }>) => {
      if (ev.data.t === 'evt') heard.push(ev.data.payload);
    });
    client.close();
    await tick();
    expect(closed).toBe(1);
    server.emit('hello', 1);
    await tick();
    expect(heard).toEqual([]);
    ui.close();
  });

  it('the engine serves each open window and drops the port of a window that closed', async () => {
    const t = await startEngine();
    const a = pair();
    const b = pair();
    t.engine.serve(a.engine);
    t.engine.serve(b.engine);
    const first = createRpcClient<EngineContract, EngineEvents>(a.ui);
    const second = createRpcClient<EngineContract, EngineEvents>(b.ui);
    await first.call('system.now', {});
    expect(t.engine.connections()).toBe(2);
    first.close();
    await tick();
    expect(t.engine.connections()).toBe(1);
    // The window still open keeps working and still hears the engine's events.
    const events: unknown[] = [];
    second.on('clockChanged', (p) => events.push(p));
    t.engine.deps.emit?.('clockChanged', { now: 1 });
    await tick();
    expect(events).toEqual([{ now: 1 }]);
    expect(await second.call('system.now', {})).toEqual({ now: t.clock.now() });
    second.close();
    await tick();
    expect(t.engine.connections()).toBe(0);
    t.engine.close();
    a.ui.close();
    b.ui.close();
  });

  it('"now" on screens is the engine’s clock, which the test clock moves', async () => {
    const t = await startEngine();
    const before = (await t.call('system.now', {})).now;
    t.clock.advance(3 * 24 * 3600_000);
    expect((await t.call('system.now', {})).now).toBe(before + 3 * 24 * 3600_000);
    t.engine.close();
  });
});

import { describe, expect, it } from 'vitest';
import type { EngineContract, EngineEvents } from '@shared/contract';
import { createRpcClient } from '@shared/rpc/client';
import { portChannel } from '../../../src-main/desktop/port-channel';
import { FakePort, settle } from './desktop-fake-electron';

function pair(): [FakePort, FakePort] {
  const a = new FakePort();
  const b = new FakePort();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

describe("main's own connection to the engine (MessagePortMain)", () => {
  it('an RPC call from main reaches the engine and its answer comes back', async () => {
    const [mainEnd, engineEnd] = pair();
    engineEnd.start();
    engineEnd.on('message', ({ data }: { data: { id: number } }) =>
      engineEnd.postMessage({ t: 'res', id: data.id, ok: true, result: { woke: true } }),
    );

    const client = createRpcClient<EngineContract, EngineEvents>(portChannel(mainEnd));

    expect(mainEnd.started).toBe(true);
    await expect(client.call('system.wake', { reason: 'resume' })).resolves.toEqual({ woke: true });
  });

  it('a closed client stops listening to the port', async () => {
    const [mainEnd, engineEnd] = pair();
    engineEnd.start();
    const client = createRpcClient<EngineContract, EngineEvents>(portChannel(mainEnd));
    const seen: unknown[] = [];
    client.on('changed', (payload) => seen.push(payload));

    engineEnd.postMessage({ t: 'evt', name: 'changed', payload: { tables: ['a'] } });
    await settle();
    client.close();
    engineEnd.postMessage({ t: 'evt', name: 'changed', payload: { tables: ['b'] } });
    await settle();

    expect(seen).toEqual([{ tables: ['a'] }]);
    expect(mainEnd.listenerCount('message')).toBe(0);
  });
});

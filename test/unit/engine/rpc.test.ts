import { describe, expect, it } from 'vitest';
import type { EngineContract, EngineEvents } from '@shared/contract';
import { AppError } from '@shared/rpc/errors';
import { createRpcClient } from '@shared/rpc/client';
import { aLead, startEngine } from './harness';

/** The UI talks to the engine over a MessagePort; these tests use a real MessageChannel. */
async function connected() {
  const t = await startEngine();
  const { port1, port2 } = new MessageChannel();
  t.engine.serve(port2);
  port2.start();
  port1.start();
  const client = createRpcClient<EngineContract, EngineEvents>(port1);
  return { t, client, close: () => (port1.close(), port2.close()) };
}

describe('typed RPC between UI and engine', () => {
  it('a call returns the engine’s result across the port', async () => {
    const { client, close } = await connected();
    const lead = await client.call('leads.create', aLead());
    expect(lead.firstName).toBe('Ann');
    expect((await client.call('leads.get', { id: lead.id })).email).toBe('ann@example.com');
    close();
  });

  it('bad params come back as a typed ValidationFailed error naming the field', async () => {
    const { client, close } = await connected();
    const err = await client.call('leads.create', { ...aLead(), timeZone: 'Mars/Olympus' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'ValidationFailed', details: { issues: [{ path: 'timeZone' }] } });
    close();
  });

  it('an unknown method is refused, not crashed on', async () => {
    const { client, close } = await connected();
    await expect(client.call('nope' as never, {} as never)).rejects.toMatchObject({ code: 'NotFound' });
    close();
  });

  it('open views hear which tables changed without polling', async () => {
    const { client, close } = await connected();
    const changed = new Promise<string[]>((resolve) => client.on('changed', ({ tables }) => resolve(tables)));
    await client.call('leads.create', aLead());
    expect(await changed).toEqual(expect.arrayContaining(['leads', 'history']));
    close();
  });

  it('a call as an unknown user is refused with PermissionDenied', async () => {
    const { client, close } = await connected();
    client.actAs('someone-else');
    await expect(client.call('leads.list', {})).rejects.toMatchObject({ code: 'PermissionDenied' });
    close();
  });
});

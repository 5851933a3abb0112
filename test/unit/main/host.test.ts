import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, createTestClock, FileSecretStore } from '../../../src-main/host';
import type { Host, HostDeps, HostReply } from '../../../src-main/host';
import { accountFor, message, startTestSmtp } from './smtp-test-server';
import type { TestSmtp } from './smtp-test-server';

let dataDir: string;
let smtp: TestSmtp;
const hosts: Host[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'host-'));
  smtp = await startTestSmtp({ users: { dana: 'app-password' } });
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  await smtp.close();
  await rm(dataDir, { recursive: true, force: true });
});

function start(extra: Partial<HostDeps> = {}): Host {
  const host = createHost({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    info: { shell: 'web', version: '0.1.0', testMode: false },
    ...extra,
  });
  hosts.push(host);
  return host;
}

function result(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`expected success, got ${reply.error.code}: ${reply.error.message}`);
  return reply.result;
}

const send = (host: Host, idempotencyKey: string) =>
  host.call('email.send', {
    account: accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' }),
    message,
    idempotencyKey,
  });

describe('the host sends each message once, even across retries and restarts', () => {
  it('sending the same message twice delivers it once', async () => {
    const host = start();
    result(await host.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));

    const first = result(await send(host, 'enr-1:0:step-1'));
    const second = result(await send(host, 'enr-1:0:step-1'));
    expect(first).toMatchObject({ duplicate: false });
    expect(second).toEqual({ ...(first as object), duplicate: true });
    expect(smtp.received).toHaveLength(1);
  });

  it('a message sent before a restart is not sent again after it', async () => {
    const before = start();
    result(await before.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));
    const first = result(await send(before, 'enr-1:0:step-1'));
    await before.close();

    const after = start();
    expect(result(await send(after, 'enr-1:0:step-1'))).toEqual({ ...(first as object), duplicate: true });
    expect(smtp.received).toHaveLength(1);
  });

  it('two sends of the same message at the same moment deliver it once', async () => {
    const host = start();
    result(await host.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));
    const replies = await Promise.all([send(host, 'k'), send(host, 'k'), send(host, 'k')]);
    expect(replies.map((r) => (result(r) as { duplicate: boolean }).duplicate).sort()).toEqual([false, true, true]);
    expect(smtp.received).toHaveLength(1);
  });

  it('a send without the stored password fails with SecretMissing and can succeed later', async () => {
    const host = start();
    const failed = await send(host, 'k');
    expect(failed).toMatchObject({ ok: false, error: { code: 'DeliveryFailed', details: { deliveryCode: 'SecretMissing' } } });
    result(await host.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));
    expect(result(await send(host, 'k'))).toMatchObject({ duplicate: false });
  });

  it('a deleted password is gone for the next send', async () => {
    const host = start();
    result(await host.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));
    expect(result(await host.call('secrets.delete', { name: 'smtp.dana' }))).toEqual({ deleted: true });
    expect(await send(host, 'k')).toMatchObject({ ok: false, error: { details: { deliveryCode: 'SecretMissing' } } });
  });
});

describe('every host call answers, and checks what the renderer sent', () => {
  it('an unknown method is NotFound, not an exception', async () => {
    expect(await start().call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    expect(await start().call('toString', {})).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });

  it('bad params are refused with the field that is wrong', async () => {
    const reply = await start().call('email.send', { account: accountFor(smtp.port, { port: 0 }), message, idempotencyKey: 'k' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ValidationFailed' } });
    expect(reply.ok ? [] : reply.error.details?.issues?.map((i) => i.path)).toContain('account.port');
    expect(smtp.received).toHaveLength(0);
  });

  it('a secret name with path characters is refused', async () => {
    expect(await start().call('secrets.set', { name: '../x', value: 'v' })).toMatchObject({
      ok: false,
      error: { code: 'ValidationFailed' },
    });
  });

  it('host.info tells the engine which shell it runs in', async () => {
    expect(result(await start().call('host.info', {}))).toEqual({ shell: 'web', version: '0.1.0', testMode: false });
  });

  it('the test clock exists only in test mode', async () => {
    const reply = await start().call('clock.offset', {});
    expect(reply).toEqual({
      ok: false,
      error: { code: 'NotFound', message: 'The test clock exists only when the host is started with --test-mode' },
    });

    const clock = createTestClock();
    clock.advance(3_600_000);
    expect(result(await start({ testClock: clock }).call('clock.offset', {}))).toEqual({ offsetMs: 3_600_000 });
  });

  it("testing the connection reports the server's words", async () => {
    const host = start();
    result(await host.call('secrets.set', { name: 'smtp.dana', value: 'app-password' }));
    const account = accountFor(smtp.port, { user: 'dana', passwordSecret: 'smtp.dana' });
    expect(result(await host.call('email.verify', { account }))).toMatchObject({ response: expect.stringMatching(/^235 /) as unknown });
  });
});

import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostContract, HostTransport } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { createHost, FileSecretStore } from '../../../src-main/host';
import type { Host } from '../../../src-main/host';

/** The real host adapters (nodemailer, the sent journal) in-process: what the engine talks to in the app. */
export function realHost(): HostTransport {
  const secrets = new Map<string, string>();
  const host = createHost({
    dataDir: mkdtempSync(join(tmpdir(), 'host-')),
    info: { shell: 'web', version: 'test', testMode: true },
    secrets: {
      get: (n) => Promise.resolve(secrets.get(n) ?? null),
      set: (n, v) => Promise.resolve(void secrets.set(n, v)),
      delete: (n) => Promise.resolve(secrets.delete(n)),
    },
  });
  return {
    async call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
      const reply = await host.call(method, params);
      if (!reply.ok) throw AppError.from(reply.error);
      return reply.result as ResultOf<HostContract[K]>;
    },
  };
}

/**
 * The real host adapters (the ones the web host and Electron main run), called in-process, so
 * engine tests reach real peers on loopback: smtp-server, dovecot, HTTP servers.
 */
export interface RealHost extends HostTransport {
  host: Host;
  notifications: { title: string; body: string; leadId: string | null }[];
  /** While true, every call fails as if the host process were gone (the app is offline). */
  offline: boolean;
  close(): Promise<void>;
}

export async function startRealHost(): Promise<RealHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'engine-host-'));
  const notifications: RealHost['notifications'] = [];
  const host = createHost({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    info: { shell: 'desktop', version: 'test', testMode: true },
    notify: (n) => {
      notifications.push(n);
      return true;
    },
  });
  const real: RealHost = {
    host,
    notifications,
    offline: false,
    async call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
      if (real.offline) throw new TypeError('fetch failed');
      const reply = await host.call(method, params);
      if (!reply.ok) throw AppError.from(reply.error);
      return reply.result as ResultOf<HostContract[K]>;
    },
    async close() {
      await host.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return real;
}

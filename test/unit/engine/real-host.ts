import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostContract, HostTransport } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { createHost } from '../../../src-main/host';

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

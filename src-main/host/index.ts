import { hostContract } from '@shared/contract/host';
import type { HostContract, HostMethod } from '@shared/contract/host';
import { AppError, toErrorShape } from '@shared/rpc/errors';
import { zodToAppError } from '@shared/rpc/server';
import type { ParsedParamsOf, ResultOf } from '@shared/rpc/spec';
import { BackupFolder } from './backups';
import { SentJournal } from './sent-journal';
import { sendEmail, verifyAccount } from './smtp';
import type { Host, HostDeps, HostReply } from './types';

export type { Host, HostDeps, HostReply, SecretStore, TestClock } from './types';
export { FileSecretStore } from './secrets';
export { createTestClock } from './test-clock';

type HostHandlers = { [K in HostMethod]: (params: ParsedParamsOf<HostContract[K]>) => Promise<ResultOf<HostContract[K]>> };

/**
 * The host adapters behind one entry point, shared by the Electron main process (IPC) and the web
 * host (HTTP). Params come from a renderer, so every call is checked against the contract first.
 */
export function createHost(deps: HostDeps): Host {
  let journal: Promise<SentJournal> | undefined;
  const openJournal = (): Promise<SentJournal> => {
    journal ??= SentJournal.open(deps.dataDir).catch((err: unknown) => {
      journal = undefined; // let the next send try again (e.g. after the disk is back)
      throw err;
    });
    return journal;
  };

  const backups = new BackupFolder(deps.dataDir);
  const handlers: HostHandlers = {
    'host.info': () => Promise.resolve(deps.info),
    'email.send': async ({ account, message, idempotencyKey }) =>
      (await openJournal()).once(idempotencyKey, () => sendEmail(account, message, idempotencyKey, deps.secrets)),
    'email.verify': ({ account }) => verifyAccount(account, deps.secrets),
    'secrets.set': async ({ name, value }) => {
      await deps.secrets.set(name, value);
      return { name };
    },
    'secrets.delete': async ({ name }) => ({ deleted: await deps.secrets.delete(name) }),
    'backup.write': ({ name, text, keepDays }) => backups.write(name, text, keepDays),
    'backup.list': () => backups.list(),
    'backup.read': async ({ name }) => ({ text: await backups.read(name) }),
    'clock.offset': () => {
      if (!deps.testClock) throw new AppError('NotFound', 'The test clock exists only when the host is started with --test-mode');
      return Promise.resolve({ offsetMs: deps.testClock.offsetMs() });
    },
  };

  return {
    async call(method: string, params: unknown): Promise<HostReply> {
      try {
        if (!Object.hasOwn(hostContract, method)) throw new AppError('NotFound', `Unknown host method "${method}"`, { method });
        const name = method as HostMethod;
        const parsed = hostContract[name].params.safeParse(params);
        if (!parsed.success) throw zodToAppError(parsed.error);
        const handler = handlers[name] as (p: unknown) => Promise<unknown>;
        return { ok: true, result: await handler(parsed.data) };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    },
    async close() {
      if (journal) await (await journal.catch(() => undefined))?.settle();
    },
  };
}

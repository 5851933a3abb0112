import { hostContract } from '@shared/contract/host';
import type { HostContract, HostMethod, WebhookResult } from '@shared/contract/host';
import { AppError, toErrorShape } from '@shared/rpc/errors';
import { zodToAppError } from '@shared/rpc/server';
import type { ParsedParamsOf, ResultOf } from '@shared/rpc/spec';
import { BackupFolder } from './backups';
import { couchRequest } from './couch';
import { maskRequest } from './http-call';
import { SentJournal } from './sent-journal';
import { fetchNew, verifyImap } from './imap';
import { pollSms, sendSms, smsStatus, verifySms } from './sms';
import { sendEmail, verifyAccount } from './smtp';
import { sendWebhook, testWebhook } from './webhook';
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
    'imap.verify': ({ account }) => verifyImap(account, deps.secrets),
    'imap.fetchNew': ({ account, sinceUid, uidValidity, waitMs }) => fetchNew(account, sinceUid, uidValidity, waitMs, deps.secrets),
    'sms.send': async ({ gateway, message, idempotencyKey }) => {
      let sent: { status: string; segments: number } | null = null;
      const receipt = await (
        await openJournal()
      ).once(idempotencyKey, async () => {
        const r = await sendSms(gateway, message, deps.secrets);
        sent = r;
        return { messageId: r.messageId, response: r.response };
      });
      const done = sent as { status: string; segments: number } | null;
      return { ...receipt, status: done?.status ?? 'sent earlier', segments: done?.segments ?? 0 };
    },
    'sms.poll': async ({ gateway, sinceMs }) => ({ messages: await pollSms(gateway, sinceMs, deps.secrets) }),
    'sms.verify': ({ gateway }) => verifySms(gateway, deps.secrets),
    'sms.status': ({ gateway, messageId }) => smsStatus(gateway, messageId, deps.secrets),
    'webhook.send': async ({ request, timeoutMs, idempotencyKey }) => {
      let result: Omit<WebhookResult, 'duplicate'> | null = null;
      const receipt = await (
        await openJournal()
      ).once(idempotencyKey, async () => {
        result = await sendWebhook(request, timeoutMs, deps.secrets);
        return { messageId: `HTTP ${result.status}`, response: result.responseExcerpt };
      });
      const done = result as Omit<WebhookResult, 'duplicate'> | null;
      if (done) return { ...done, duplicate: false };
      // Delivered before (journal): report it without calling the endpoint again.
      return {
        status: 0,
        responseExcerpt: receipt.response,
        durationMs: 0,
        request: maskRequest({ ...request, secretNames: new Set(), body: null }),
        duplicate: true,
      };
    },
    'webhook.test': ({ request, timeoutMs }) => testWebhook(request, timeoutMs, deps.secrets),
    'notify.show': ({ title, body, leadId }) => Promise.resolve({ shown: deps.notify ? deps.notify({ title, body, leadId }) : false }),
    'secrets.set': async ({ name, value }) => {
      await deps.secrets.set(name, value);
      return { name };
    },
    'secrets.delete': async ({ name }) => ({ deleted: await deps.secrets.delete(name) }),
    'couch.request': (req) => couchRequest(req, deps.secrets),
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

import type { channelsContract, DeliveryView } from '@shared/contract/channels';
import type { DeliveryAttempt, ImapAccount, SmsGateway, WebhookDefaults } from '@shared/model/channels';
import type { LeadId, OutboxId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import { describeMessage } from '@shared/model/outbox';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import type { ReplyWatcher } from '../replies/watcher';
import { getChannelSetting, putChannelSetting, SECRET } from './store';

const notSetUp = (what: string, field: string): AppError =>
  new AppError('ValidationFailed', `Save the ${what} settings first, then test the connection.`, {
    issues: [{ path: field, message: 'Not set up yet' }],
  });

export function createChannelsHandlers(deps: EngineDeps, watcher: ReplyWatcher): AreaHandlers<typeof channelsContract> {
  const { db, host } = deps;

  /** Passwords and tokens go to the host's secret store; IndexedDB keeps only the secret's name. */
  const storeSecret = async (name: string, value: string | undefined, before: string | null): Promise<string | null> =>
    value ? (await host.call('secrets.set', { name, value })).name : before;

  async function monitorView(rows: DeliveryAttempt[]): Promise<DeliveryView[]> {
    return Promise.all(
      rows.map(async (r) => {
        const [message, lead] = await Promise.all([db.outbox.get(r.outboxId as OutboxId), db.leads.get(r.leadId as LeadId)]);
        return {
          ...r,
          summary: message ? describeMessage(message) : '(message removed)',
          leadName: lead ? leadDisplayName(lead) : '(lead deleted)',
        };
      }),
    );
  }

  return {
    async 'settings.imap.get'() {
      return getChannelSetting(db, 'imapAccount');
    },

    async 'settings.imap.save'({ password, ...fields }) {
      const before = await getChannelSetting(db, 'imapAccount');
      const account: ImapAccount = {
        ...fields,
        passwordSecret: await storeSecret(SECRET.imapPassword, password, before?.passwordSecret ?? null),
      };
      await putChannelSetting(db, 'imapAccount', account);
      // Another mailbox (or folder) has other UIDs: start watching it from now.
      if (!before || before.host !== account.host || before.user !== account.user || before.folder !== account.folder) {
        await putChannelSetting(db, 'imapCursor', null);
      }
      return account;
    },

    async 'settings.imap.test'() {
      const account = await getChannelSetting(db, 'imapAccount');
      if (!account) throw notSetUp('reply (IMAP)', 'host');
      const { host: h, port, tls, user, folder, passwordSecret } = account;
      return host.call('imap.verify', { account: { host: h, port, tls, user, folder, passwordSecret } });
    },

    async 'settings.sms.get'() {
      return getChannelSetting(db, 'smsGateway');
    },

    async 'settings.sms.save'({ authToken, ...fields }) {
      const before = await getChannelSetting(db, 'smsGateway');
      const authTokenSecret = await storeSecret(SECRET.smsToken, authToken, before?.authTokenSecret ?? null);
      const gateway: SmsGateway = { ...fields, authTokenSecret };
      await putChannelSetting(db, 'smsGateway', gateway);
      deps.wake();
      return gateway;
    },

    async 'settings.sms.test'() {
      const gateway = await getChannelSetting(db, 'smsGateway');
      if (!gateway) throw notSetUp('text message', 'preset');
      return host.call('sms.verify', { gateway });
    },

    async 'settings.webhooks.get'() {
      return getChannelSetting(db, 'webhookDefaults');
    },

    async 'settings.webhooks.save'({ timeoutSeconds, headers }) {
      const before = await getChannelSetting(db, 'webhookDefaults');
      const saved: WebhookDefaults['headers'] = [];
      for (const h of headers) {
        if (!h.secret) {
          saved.push({ name: h.name, secret: false, value: h.value });
          continue;
        }
        const kept = before.headers.find((b) => b.secret && b.name.toLowerCase() === h.name.toLowerCase());
        if (!h.value && !kept) {
          throw new AppError('ValidationFailed', `Enter the value of the secret header "${h.name}".`, {
            issues: [{ path: `headers.${headers.indexOf(h)}.value`, message: 'A secret header needs a value' }],
          });
        }
        const secretName = h.value
          ? (await host.call('secrets.set', { name: SECRET.webhookHeader(h.name), value: h.value })).name
          : SECRET.webhookHeader(h.name);
        saved.push({ name: h.name, secret: true, secretName });
      }
      const defaults: WebhookDefaults = { timeoutSeconds, headers: saved };
      await putChannelSetting(db, 'webhookDefaults', defaults);
      return defaults;
    },

    'notifications.open'({ leadId }) {
      deps.emit?.('openLead', { leadId });
      return Promise.resolve({ opened: true as const });
    },

    async 'settings.webhooks.test'({ url }) {
      const defaults = await getChannelSetting(db, 'webhookDefaults');
      const r = await host.call('webhook.send', {
        request: {
          method: 'POST',
          url,
          headers: defaults.headers.flatMap((h) => (h.secret ? [] : [{ name: h.name, value: h.value }])),
          secretHeaders: defaults.headers.flatMap((h) => (h.secret ? [{ name: h.name, secret: h.secretName }] : [])),
          payload: { test: 'true' },
        },
        timeoutMs: defaults.timeoutSeconds * 1000,
        idempotencyKey: `webhook-test:${deps.newId()}`,
      });
      return { response: `The endpoint answered ${r.status} in ${r.durationMs} ms${r.responseExcerpt ? `: ${r.responseExcerpt}` : ''}` };
    },

    async 'replies.checkNow'() {
      return watcher.checkNow();
    },

    async 'outbox.deliveries'({ outboxId, leadId, channel, limit }) {
      let rows: DeliveryAttempt[];
      if (outboxId) rows = await db.deliveries.where('outboxId').equals(outboxId).toArray();
      else if (leadId) rows = await db.deliveries.where('[leadId+at]').between([leadId, -Infinity], [leadId, Infinity]).toArray();
      else if (channel)
        rows = await db.deliveries
          .where('[channel+at]')
          .between([channel, -Infinity], [channel, Infinity])
          .reverse()
          .limit(limit)
          .toArray();
      else rows = await db.deliveries.orderBy('[channel+at]').reverse().limit(limit).toArray();
      const filtered = rows
        .filter((r) => !channel || r.channel === channel)
        .sort((a, b) => b.at - a.at)
        .slice(0, limit);
      return monitorView(filtered);
    },
  };
}

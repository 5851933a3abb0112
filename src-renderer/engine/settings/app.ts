import type { settingsContract, TestEmailResult } from '@shared/contract/settings';
import type { EmailAccount } from '@shared/model/email-account';
import { AppError } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { accountLimits } from './limits';
import { reopenLanes } from './reopen-lanes';
import { getSetting, putSetting } from './store';

const SMTP_PASSWORD_SECRET = 'smtp-password';
/** The host's words promise a retry, which holds for plan messages; a test email is sent once. */
const RETRY_PROMISE = / The message (is kept and will be retried|will not be retried)\.|;? the message is kept until then/;

export function createSettingsHandlers(deps: EngineDeps): AreaHandlers<typeof settingsContract> {
  const { db, host } = deps;

  async function sendTest(to: string): Promise<TestEmailResult> {
    const account = await getSetting(db, 'emailAccount');
    if (!account) {
      throw new AppError('ValidationFailed', 'Save your email account first, then send a test.', {
        issues: [{ path: 'host', message: 'No email account yet' }],
      });
    }
    const text = `This is a test from Action Plans. If you can read it, plan emails will go out through ${account.host}.`;
    const receipt = await host.call('email.send', {
      account,
      idempotencyKey: `test:${deps.newId()}`,
      message: { to, toName: '', subject: 'Test email from Action Plans', text, html: `<p>${text}</p>` },
    });
    return { response: receipt.response, messageId: receipt.messageId };
  }

  return {
    async 'settings.emailAccount.get'() {
      const account = await getSetting(db, 'emailAccount');
      return account ? { ...account, limits: accountLimits(account) } : null;
    },

    async 'settings.emailAccount.save'({ password, limits, ...fields }) {
      const before = await getSetting(db, 'emailAccount');
      let passwordSecret = before?.passwordSecret ?? null;
      // The password goes to the host's secret store (safeStorage / a 0600 file), never into IndexedDB.
      if (password) passwordSecret = (await host.call('secrets.set', { name: SMTP_PASSWORD_SECRET, value: password })).name;
      // Without limits from the form, keep the saved ones unless the server or address changed (then suggest again).
      const kept = before && before.host === fields.host && before.fromEmail === fields.fromEmail ? before.limits : undefined;
      const account: EmailAccount = { ...fields, passwordSecret, limits: limits ?? accountLimits({ ...fields, limits: kept }) };
      await putSetting(db, 'emailAccount', account);
      await reopenLanes(db);
      deps.wake();
      return account;
    },

    async 'settings.emailAccount.sendTest'({ to }) {
      try {
        return await sendTest(to);
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, err.message.replace(RETRY_PROMISE, ''), err.details);
        throw err;
      }
    },

    async 'settings.smsLimits.get'() {
      return getSetting(db, 'smsLimits');
    },

    async 'settings.smsLimits.save'(limits) {
      await putSetting(db, 'smsLimits', limits);
      await reopenLanes(db);
      deps.wake();
      return limits;
    },

    async 'settings.sending.get'() {
      return { paused: await getSetting(db, 'sendingPaused') };
    },

    async 'settings.sending.set'({ paused }) {
      // The account-wide pause stops every outbound send at once; nothing is lost, it resumes where it was.
      await putSetting(db, 'sendingPaused', paused);
      deps.wake();
      return { paused };
    },

    async 'settings.sendPolicy.get'() {
      return getSetting(db, 'sendPolicy');
    },

    async 'settings.sendPolicy.set'(policy) {
      await putSetting(db, 'sendPolicy', policy);
      deps.wake();
      return policy;
    },
  };
}

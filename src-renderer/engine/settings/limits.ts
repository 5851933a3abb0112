import type { EmailAccount } from '@shared/model/email-account';
import type { SendLimits } from '@shared/model/send-limits';
import { suggestLimits } from '@shared/model/send-limits';

/** An account saved before limits existed gets the preset its SMTP host suggests. */
export const accountLimits = (account: Pick<EmailAccount, 'host' | 'fromEmail'> & { limits?: SendLimits }): SendLimits =>
  account.limits ?? suggestLimits(account.host, account.fromEmail);

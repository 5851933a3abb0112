/**
 * Delay before retry number `attempt` (1-based): 30 s doubling to a 1 h cap, with ±20 % jitter so
 * many messages that failed together do not retry in one burst.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Errors that mean "the user or the network must act", not "this message is bad": wait, never give up. */
export const WAITING_CODES: ReadonlySet<string> = new Set([
  'SmtpUnreachable',
  'SmtpTimeout',
  'SmtpTls',
  'SmtpAuthFailed',
  'SecretMissing',
  'NoEmailAccount',
  'HostUnavailable',
  'NoSmsGateway',
  'HttpUnreachable',
]);

/** Other retryable errors (e.g. a 4xx "try later") give up after this many attempts. */
export const MAX_ATTEMPTS = 10;

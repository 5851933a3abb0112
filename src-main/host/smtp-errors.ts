import type { DeliveryErrorCode, SmtpAccount } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';

/** The fields nodemailer puts on its errors (NodemailerError), read defensively because errors cross as `unknown`. */
interface SmtpFailure {
  code: string | undefined;
  /** The system error behind nodemailer's own code, e.g. ECONNREFUSED behind ESOCKET. */
  originalCode: string | undefined;
  command: string | undefined;
  response: string | undefined;
  responseCode: number | undefined;
  message: string;
}

function readFailure(err: unknown): SmtpFailure {
  const o = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    code: str(o.code),
    originalCode: str(o.originalCode),
    command: str(o.command),
    response: str(o.response),
    responseCode: typeof o.responseCode === 'number' ? o.responseCode : undefined,
    message: err instanceof Error ? err.message : String(err),
  };
}

interface Classified {
  deliveryCode: DeliveryErrorCode;
  retryable: boolean;
  /** Why, in a few words, for the sentence (e.g. "connection refused"). */
  reason: string;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'server name not found',
  EAI_AGAIN: 'server name could not be looked up',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ECONNECTION: 'connection closed unexpectedly',
  EDNS: 'server name not found',
  ESOCKET: 'network error',
};

const TLS_CODE = /^(ETLS|EREQUIRETLS|EPROTO|ERR_SSL_.*|ERR_TLS_.*|.*CERT.*|UNABLE_TO_.*)$/;

function tlsReason(code: string): string {
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return 'the server does not speak TLS on this port';
  if (/CERT|UNABLE_TO/.test(code)) return `the server's certificate is not trusted: ${code}`;
  if (code === 'EREQUIRETLS' || code === 'ETLS') return 'the server does not offer STARTTLS, or the upgrade failed';
  return code;
}

/**
 * Provider push-back: too fast (421, 450/451/452, enhanced 4.7.x) or out of quota (Google's 5.4.5
 * daily quota, Microsoft's 5.2.2 submission quota). Not the message's fault: the engine pauses the
 * whole mailbox until the window frees instead of retrying hard (a hammered mailbox gets locked).
 */
const THROTTLE_CODES: ReadonlySet<number> = new Set([421, 450, 451, 452]);
const QUOTA_WORDS = /\b5\.4\.5\b|\b5\.2\.2\b.*submission|submissionquota|sending (quota|limit)/i;

const RATE_WORDS = /too many|rate|slow down|throttl|limit/i;

function throttled(f: SmtpFailure): Classified | null {
  const response = f.response ?? '';
  if (QUOTA_WORDS.test(response)) return { deliveryCode: 'SmtpThrottled', retryable: true, reason: 'sending quota used up' };
  // A 450/451/452 about one recipient (greylisting, a busy mailbox) holds back that message only, unless it speaks of rate.
  const aboutRecipient = f.command === 'RCPT TO' && f.responseCode !== 421 && !RATE_WORDS.test(response);
  const code = f.responseCode !== undefined && THROTTLE_CODES.has(f.responseCode) && !aboutRecipient;
  if (code || /^\d{3}[ -]4\.7\.\d+/.test(response)) {
    return { deliveryCode: 'SmtpThrottled', retryable: true, reason: 'sending too fast' };
  }
  return null;
}

function classify(f: SmtpFailure): Classified {
  const system = f.originalCode ?? f.code ?? '';
  if (f.code === 'EAUTH' || f.code === 'ENOAUTH' || f.responseCode === 535 || (f.responseCode === 530 && /auth/i.test(f.response ?? ''))) {
    return { deliveryCode: 'SmtpAuthFailed', retryable: true, reason: 'user name or password refused' };
  }
  if (f.code === 'ETIMEDOUT' || system === 'ETIMEDOUT')
    return { deliveryCode: 'SmtpTimeout', retryable: true, reason: 'no answer in time' };
  if (TLS_CODE.test(f.code ?? '') || TLS_CODE.test(system)) return { deliveryCode: 'SmtpTls', retryable: true, reason: tlsReason(system) };
  const pushBack = throttled(f);
  if (pushBack) return pushBack;
  if (f.responseCode !== undefined) {
    // RFC 5321: 4yz is transient, 5yz permanent; 503 only says the session was out of step, so a new one may work.
    const permanent = f.responseCode >= 500 && f.responseCode !== 503;
    if (f.command === 'RCPT TO' && permanent)
      return { deliveryCode: 'SmtpRecipientRefused', retryable: false, reason: 'recipient refused' };
    return { deliveryCode: 'SmtpRejected', retryable: !permanent, reason: permanent ? 'refused' : 'temporarily refused' };
  }
  if (f.code === 'EENVELOPE') return { deliveryCode: 'SmtpRecipientRefused', retryable: false, reason: 'address not valid' };
  const unreachable = UNREACHABLE[system] ?? UNREACHABLE[f.code ?? ''];
  if (unreachable) return { deliveryCode: 'SmtpUnreachable', retryable: true, reason: unreachable };
  // Unknown failures keep the message: the outbox's backoff and final failed state bound the retries.
  return { deliveryCode: 'SmtpRejected', retryable: true, reason: f.message };
}

function sentence(c: Classified, f: SmtpFailure, account: SmtpAccount, to: string | undefined): string {
  const where = `${account.host}:${account.port}`;
  const said = f.response ? ` The server said: "${f.response}".` : '';
  const kept = c.retryable ? ' The message is kept and will be retried.' : ' The message will not be retried.';
  switch (c.deliveryCode) {
    case 'SmtpUnreachable':
      return `Could not reach the mail server ${where} (${c.reason}).${kept}`;
    case 'SmtpTimeout':
      return `The mail server ${where} did not answer in time.${kept}`;
    case 'SmtpTls':
      return `Could not set up a secure connection to the mail server ${where} (${c.reason}). Check the security setting (TLS, STARTTLS or none) in Settings.${kept}`;
    case 'SmtpAuthFailed':
      return `The mail server ${where} refused the user name or password${account.user ? ` for ${account.user}` : ''}.${said} Re-enter the password in Settings; the message is kept until then.`;
    case 'SmtpRecipientRefused':
      return `The mail server ${where} refused the recipient${to ? ` ${to}` : ''}.${said}${kept}`;
    case 'SmtpRejected':
      return f.responseCode === undefined
        ? `Sending through the mail server ${where} failed (${c.reason}).${kept}`
        : `The mail server ${where} ${c.reason} the message.${said}${kept}`;
    case 'SmtpThrottled':
      return `The mail server ${where} is holding back this mailbox (${c.reason}).${said} Sending from it pauses until the provider allows it again; nothing is lost.`;
    case 'SecretMissing':
      return secretMissingSentence(account);
  }
}

function secretMissingSentence(account: SmtpAccount): string {
  return `No password is stored for ${account.user} on the mail server ${account.host}. Re-enter the password in Settings; the message is kept until then.`;
}

/** Turns whatever nodemailer threw into a DeliveryFailed error that says what happened, where, and whether it is retried. */
export function deliveryFailed(err: unknown, account: SmtpAccount, to?: string): AppError {
  const f = readFailure(err);
  const c = classify(f);
  return new AppError('DeliveryFailed', sentence(c, f, account, to), {
    deliveryCode: c.deliveryCode,
    retryable: c.retryable,
    response: f.response ?? null,
    responseCode: f.responseCode ?? null,
    server: `${account.host}:${account.port}`,
  });
}

/** The password's secret is gone (e.g. the secret store was reset): nothing can be sent until the user types it again. */
export function secretMissing(account: SmtpAccount): AppError {
  return new AppError('DeliveryFailed', secretMissingSentence(account), {
    deliveryCode: 'SecretMissing',
    retryable: true,
    response: null,
    responseCode: null,
    server: `${account.host}:${account.port}`,
  });
}

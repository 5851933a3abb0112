import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer';
import type { z } from 'zod';
import type { emailMessageSchema, SmtpAccount } from '@shared/contract/host';
import { deliveryFailed, secretMissing } from './smtp-errors';
import type { SecretStore } from './types';

export type EmailMessage = z.infer<typeof emailMessageSchema>;

export interface SmtpTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
}

/** Long enough for a slow provider, short enough that the outbox learns of an outage within a tick or two. */
export const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectionMs: 15_000, greetingMs: 15_000, socketMs: 30_000 };

/** A newline in a lead's name or a subject must never start a new header (header injection). */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

/** Domain of the From address, ASCII (punycode), or a neutral fallback when the address has none. */
function fromDomain(fromEmail: string): string {
  const domain = domainToASCII(
    fromEmail
      .slice(fromEmail.lastIndexOf('@') + 1)
      .trim()
      .toLowerCase(),
  );
  return /^[a-z0-9.-]+$/.test(domain) ? domain : 'action-plans.invalid';
}

/**
 * The Message-ID follows from the idempotency key, so a message re-sent after a crash (between the
 * server's answer and the journal write) carries the same id and the recipient's mail system can
 * recognise it as the same message.
 */
export function messageIdFor(idempotencyKey: string, fromEmail: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${hash}@${fromDomain(fromEmail)}>`;
}

async function transportOptions(account: SmtpAccount, secrets: SecretStore, timeouts: SmtpTimeouts): Promise<SMTPTransportOptions> {
  let auth: SMTPTransportOptions['auth'];
  if (account.user) {
    const pass = account.passwordSecret ? await secrets.get(account.passwordSecret) : null;
    if (pass === null) throw secretMissing(account);
    auth = { user: account.user, pass };
  }
  return {
    host: account.host,
    port: account.port,
    // 'tls' is implicit TLS (usually 465); 'starttls' must upgrade or fail; 'none' never upgrades.
    secure: account.security === 'tls',
    requireTLS: account.security === 'starttls',
    ignoreTLS: account.security === 'none',
    auth,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectionMs,
    // Template HTML must never make the host read a local file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export interface SentMessage {
  messageId: string;
  response: string;
}

/** Sends one message through the user's own SMTP server (DESIGN §6); failures become DeliveryFailed errors. */
export async function sendEmail(
  account: SmtpAccount,
  message: EmailMessage,
  idempotencyKey: string,
  secrets: SecretStore,
  timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS,
): Promise<SentMessage> {
  const transport = createTransport(await transportOptions(account, secrets, timeouts));
  const to = oneLine(message.to);
  const messageId = messageIdFor(idempotencyKey, account.fromEmail);
  try {
    const info = await transport.sendMail({
      from: { name: oneLine(message.fromName || account.fromName), address: oneLine(account.fromEmail) },
      ...(message.replyTo ? { replyTo: oneLine(message.replyTo) } : {}),
      to: { name: oneLine(message.toName), address: to },
      subject: oneLine(message.subject),
      html: message.html,
      text: message.text,
      messageId,
      // RFC 2369: mail programs show an "Unsubscribe" button; the reply watcher opts the lead out when it arrives.
      list: { unsubscribe: { url: `mailto:${oneLine(account.fromEmail)}?subject=unsubscribe`, comment: 'Unsubscribe' } },
    });
    return { messageId, response: info.response };
  } catch (err) {
    throw deliveryFailed(err, account, to);
  } finally {
    transport.close();
  }
}

/**
 * Connects and logs in without sending, for the "Test connection" button. Returns the server's own
 * words (its login answer, or its greeting when no login is configured) so the user sees who answered.
 */
export async function verifyAccount(
  account: SmtpAccount,
  secrets: SecretStore,
  timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS,
): Promise<{ response: string }> {
  const replies: string[] = [];
  // nodemailer reports each server reply to the logger as { tnx: 'server' }; nothing else is kept.
  const logger = {
    debug(entry: { tnx?: unknown }, text: unknown): void {
      if (entry.tnx === 'server' && typeof text === 'string') replies.push(text);
    },
  };
  const options = await transportOptions(account, secrets, timeouts);
  const transport = createTransport({ ...options, logger, transactionLog: true });
  try {
    await transport.verify();
  } catch (err) {
    throw deliveryFailed(err, account);
  } finally {
    transport.close();
  }
  const login = replies.findLast((r) => r.startsWith('235'));
  const greeting = replies.find((r) => r.startsWith('220'));
  return { response: login ?? greeting ?? replies[0] ?? 'The server accepted the connection.' };
}

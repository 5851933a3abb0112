import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { ImapAccountParams, ImapFetchResult } from '@shared/contract/host';
import type { InboundEmail } from '@shared/model/channels';
import { AppError } from '@shared/rpc/errors';
import type { SecretStore } from './types';

const TEXT_LIMIT = 20_000;
/** At most this many new messages per call; the rest come with the next call (the engine polls again soon). */
const BATCH = 50;

async function connect(account: ImapAccountParams, secrets: SecretStore): Promise<ImapFlow> {
  const pass = account.passwordSecret ? await secrets.get(account.passwordSecret) : null;
  if (pass === null) {
    throw new AppError('DeliveryFailed', 'The mailbox password is missing. Enter it again in Settings → Replies (IMAP).', {
      deliveryCode: 'SecretMissing',
      retryable: true,
    });
  }
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.tls,
    // Without TLS on connect, imapflow still upgrades with STARTTLS when the server offers it.
    auth: { user: account.user, pass },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    disableAutoIdle: true,
  });
  // A dropped connection emits 'error'; the call in progress rejects on its own, so nothing else to do.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw imapFailure(err, account);
  }
  return client;
}

function imapFailure(err: unknown, account: ImapAccountParams): AppError {
  const o = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const where = `${account.host}:${account.port}`;
  if (o.authenticationFailed === true) {
    const words = typeof o.responseText === 'string' ? o.responseText : 'login refused';
    return new AppError('DeliveryFailed', `The mail server ${where} refused the user name or password (${words}).`, {
      deliveryCode: 'ImapAuthFailed',
      retryable: true,
      response: words,
    });
  }
  const code = typeof o.code === 'string' ? o.code : '';
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND'
        ? 'server name not found'
        : err instanceof Error
          ? err.message
          : String(err);
  return new AppError('DeliveryFailed', `Could not reach the mail server ${where}: ${reason}.`, {
    deliveryCode: 'ImapUnreachable',
    retryable: true,
  });
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined): { address: string; name: string } => {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  const v = list[0]?.value[0];
  return { address: (v?.address ?? '').toLowerCase(), name: v?.name ?? '' };
};

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
};

/**
 * Why a message is an automatic answer (RFC 3834 Auto-Submitted, the headers Exchange and others
 * add, and the usual subject lines), or null for a person's reply. Such messages are recorded but
 * never pause a plan.
 */
export function autoReplyReason(mail: ParsedMail): string | null {
  const autoSubmitted = header(mail, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'marked as an automatic reply';
  const suppress = header(mail, 'x-auto-response-suppress');
  if (/all|oof|autoreply/i.test(suppress) && mail.headers.has('x-ms-exchange-inbox-rules-loop')) return 'Exchange automatic reply';
  const precedence = header(mail, 'precedence').toLowerCase();
  if (['auto_reply', 'bulk', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (/^(auto(matic)?[ -]?reply|auto:|out of (the )?office|abwesenheit|réponse automatique)/i.test((mail.subject ?? '').trim())) {
    return 'out-of-office subject';
  }
  const from = firstAddress(mail.from).address;
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'delivery report';
  return null;
}

function toInbound(uid: number, mail: ParsedMail): InboundEmail {
  const from = firstAddress(mail.from);
  const refs = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  return {
    uid,
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references: refs,
    fromAddress: from.address,
    fromName: from.name,
    subject: mail.subject ?? '',
    text: (mail.text ?? '').slice(0, TEXT_LIMIT),
    date: mail.date?.getTime() ?? 0,
    autoReply: autoReplyReason(mail),
  };
}

/**
 * New messages after `sinceUid`. The first call (sinceUid null) and a changed UIDVALIDITY only
 * return the current position, so mail that was there before the watch began is never taken for a
 * reply. With `waitMs` and IDLE support, waits for new mail before answering "nothing new".
 */
export async function fetchNew(
  account: ImapAccountParams,
  sinceUid: number | null,
  uidValidity: number | null,
  waitMs: number,
  secrets: SecretStore,
): Promise<ImapFetchResult> {
  const client = await connect(account, secrets);
  const idle = client.capabilities.has('IDLE');
  try {
    const lock = await client.getMailboxLock(account.folder, { readOnly: true });
    try {
      const box = client.mailbox;
      if (!box) throw new Error(`The folder "${account.folder}" could not be opened`);
      const validity = Number(box.uidValidity);
      const top = box.uidNext - 1;
      if (sinceUid === null || uidValidity !== validity) return { uidValidity: validity, lastUid: top, messages: [], idle };
      if (top <= sinceUid && waitMs > 0 && idle) {
        // IDLE: the server tells us of new mail at once; give up after waitMs and answer "nothing new".
        let timer: ReturnType<typeof setTimeout> | undefined;
        const arrived = new Promise<void>((resolve) => client.once('exists', () => resolve()));
        // The next command (the fetch below) ends IDLE by itself.
        void client.idle().catch(() => undefined);
        await Promise.race([arrived, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
        clearTimeout(timer);
      }
      const messages: InboundEmail[] = [];
      let lastUid = sinceUid;
      for await (const msg of client.fetch(`${sinceUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
        // "n:*" always matches the last message even when its UID is below n (RFC 3501 §6.4.8).
        if (msg.uid <= sinceUid || !msg.source) continue;
        messages.push(toInbound(msg.uid, await simpleParser(msg.source)));
        lastUid = Math.max(lastUid, msg.uid);
        if (messages.length >= BATCH) break;
      }
      return { uidValidity: validity, lastUid, messages, idle };
    } finally {
      lock.release();
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw imapFailure(err, account);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** "Test connection": logs in and opens the folder, and says what the server reported. */
export async function verifyImap(account: ImapAccountParams, secrets: SecretStore): Promise<{ response: string }> {
  const client = await connect(account, secrets);
  try {
    const box = await client.mailboxOpen(account.folder, { readOnly: true });
    const idle = client.capabilities.has('IDLE') ? 'supports IDLE (replies arrive at once)' : 'does not support IDLE (checked every poll)';
    return { response: `Logged in to ${account.host}. Folder "${box.path}" has ${box.exists} messages; the server ${idle}.` };
  } catch (err) {
    throw imapFailure(err, account);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

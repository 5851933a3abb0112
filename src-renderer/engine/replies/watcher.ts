import type { ReplyCheckResult } from '@shared/contract/channels';
import { AppError } from '@shared/rpc/errors';
import { getChannelSetting, putChannelSetting } from '../channels/store';
import type { EngineDeps } from '../deps';
import { getSetting } from '../settings/store';
import { handleInboundEmail, handleInboundSms } from './inbound';
import { checkSmsStatuses } from './sms-status';

const problem = (what: string, err: unknown): string => `${what}: ${err instanceof Error ? err.message : String(err)}`;

/** Reads the inbox after the last position, handles each message, then moves the position on. */
type CheckState = ReplyCheckResult & { idle: boolean };

async function checkEmail(deps: EngineDeps, result: CheckState, waitMs: number): Promise<void> {
  const account = await getChannelSetting(deps.db, 'imapAccount');
  if (!account?.enabled) return;
  const cursor = await getChannelSetting(deps.db, 'imapCursor');
  const sender = await getSetting(deps.db, 'emailAccount');
  const own = [sender?.fromEmail, account.user].filter((v): v is string => !!v).map((v) => v.toLowerCase());
  const { passwordSecret, host, port, tls, user, folder } = account;
  const answer = await deps.host.call('imap.fetchNew', {
    account: { host, port, tls, user, folder, passwordSecret },
    sinceUid: cursor?.lastUid ?? null,
    uidValidity: cursor?.uidValidity ?? null,
    waitMs,
  });
  result.idle = answer.idle;
  for (const mail of answer.messages) {
    result.read++;
    const outcome = await handleInboundEmail(deps, mail, `imap:${answer.uidValidity}:${mail.uid}`, own);
    if (outcome === 'reply') result.replies++;
  }
  // A check waiting on IDLE and a "Check now" may overlap: the position only moves forward (a message
  // read twice is recognised by the inbound table anyway).
  const latest = await getChannelSetting(deps.db, 'imapCursor');
  if (latest && latest.uidValidity === answer.uidValidity && latest.lastUid >= answer.lastUid) return;
  await putChannelSetting(deps.db, 'imapCursor', { uidValidity: answer.uidValidity, lastUid: answer.lastUid });
}

async function checkSms(deps: EngineDeps, result: ReplyCheckResult): Promise<void> {
  const gateway = await getChannelSetting(deps.db, 'smsGateway');
  if (gateway?.preset !== 'twilio') return;
  const cursor = await getChannelSetting(deps.db, 'smsCursor');
  const now = deps.clock.now();
  if (!cursor) {
    // Like the inbox: texts from before the watch began are not replies to our plans.
    await putChannelSetting(deps.db, 'smsCursor', { sinceMs: now });
    return;
  }
  const { messages } = await deps.host.call('sms.poll', { gateway, sinceMs: cursor.sinceMs });
  let since = cursor.sinceMs;
  for (const sms of messages) {
    result.read++;
    if ((await handleInboundSms(deps, sms)) === 'reply') result.replies++;
    since = Math.max(since, sms.date);
  }
  await putChannelSetting(deps.db, 'smsCursor', { sinceMs: since });
}

/**
 * One check of every reply source; a source that fails is reported and tried again next time.
 * With `waitMs`, the host waits on IMAP IDLE for new mail before answering (when the server has it).
 */
export async function checkReplies(deps: EngineDeps, waitMs = 0): Promise<CheckState> {
  const result: CheckState = { read: 0, replies: 0, problems: [], idle: false };
  await checkEmail(deps, result, waitMs).catch((err: unknown) => result.problems.push(problem('Reading replies by email failed', err)));
  await checkSms(deps, result).catch((err: unknown) => result.problems.push(problem('Reading text replies failed', err)));
  await checkSmsStatuses(deps).catch((err: unknown) => result.problems.push(problem('Reading text delivery status failed', err)));
  if (result.replies > 0) deps.wake();
  return result;
}

export interface ReplyWatcher {
  start(): void;
  stop(): void;
  checkNow(): Promise<ReplyCheckResult>;
}

/** How long one background check waits on IDLE; below common server and proxy idle timeouts. */
const IDLE_WAIT_MS = 25_000;

/**
 * Watches for replies: with IMAP IDLE each check waits on the server for new mail (a reply is seen
 * at once), otherwise it checks at the configured interval (at most 60 s, so a reply pauses plans
 * within a minute). Background checks never overlap; "Check now" runs at once without waiting.
 */
export function createReplyWatcher(deps: EngineDeps): ReplyWatcher {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = true;

  async function loop(): Promise<void> {
    if (stopped) return;
    const account = await getChannelSetting(deps.db, 'imapAccount').catch(() => null);
    const seconds = Math.min(account?.pollSeconds ?? 60, 60);
    let idle = false;
    try {
      const r = await checkReplies(deps, account?.enabled ? Math.min(IDLE_WAIT_MS, seconds * 1000) : 0);
      idle = r.idle && r.problems.length === 0;
      for (const p of r.problems) console.warn(p);
    } catch (err) {
      console.error(err instanceof AppError ? err.message : err);
    }
    // After an IDLE wait the next check starts at once; SMS gateways are still read on every pass.
    if (!stopped) timer = setTimeout(() => void loop(), idle ? 0 : seconds * 1000);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void loop();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    async checkNow() {
      const { idle: _idle, ...result } = await checkReplies(deps);
      return result;
    },
  };
}

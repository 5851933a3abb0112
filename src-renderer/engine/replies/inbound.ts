import type { InboundEmail, InboundSms } from '@shared/model/channels';
import type { EpochMs } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { notificationRow } from '../outbox/channels';
import type { LeadRow } from '../store/db';
import { recordReply } from '../enrollments/app';
import { touchWrittenLeads } from '../leads/touch';

type ReplyChannel = 'email' | 'sms';

/** STOP words carriers and mail programs use; the first word of the text (or the subject) decides. */
const OPT_OUT = /^\s*(stop|stopall|unsubscribe|cancel|end|quit|opt[ -]?out|remove me)\b/i;
const EXCERPT = 280;

export type InboundOutcome = 'reply' | 'autoReply' | 'optOut' | 'unknownSender' | 'alreadyHandled';

/** Which lead wrote: by In-Reply-To / References against the Message-IDs we sent, else by the sender's address. */
async function findLeadForEmail(deps: EngineDeps, mail: InboundEmail): Promise<LeadRow | undefined> {
  const ids = [mail.inReplyTo, ...mail.references].filter((v): v is string => !!v);
  if (ids.length > 0) {
    const sent = await deps.db.outbox.where('providerMessageId').anyOf(ids).first();
    if (sent) {
      const lead = await deps.db.leads.get(sent.leadId);
      if (lead) return lead;
    }
  }
  if (!mail.fromAddress) return undefined;
  return deps.db.leads.where('email').equals(mail.fromAddress.toLowerCase()).first();
}

const excerpt = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
};

interface Inbound {
  key: string;
  channel: ReplyChannel;
  lead: LeadRow;
  /** What the history says the lead wrote, e.g. `Email "Re: Hello"`. */
  what: string;
  text: string;
  optOut: boolean;
  autoReply: string | null;
}

/** Records one inbound message for its lead in one transaction; a message seen before changes nothing. */
async function handle(deps: EngineDeps, m: Inbound, now: EpochMs): Promise<InboundOutcome> {
  const { db } = deps;
  return db.transaction('rw', [db.inbound, db.leads, db.enrollments, db.plans, db.history, db.outbox, db.tasks], async () => {
    if (await db.inbound.get(m.key)) return 'alreadyHandled';
    await db.inbound.add({ id: m.key, leadId: m.lead.id, at: now });
    const leadId = m.lead.id;
    const who = leadDisplayName(m.lead);
    const base = { leadId, at: now, actor: { kind: 'system' as const, reason: `${m.channel} from the lead` }, detail: excerpt(m.text) };
    if (m.autoReply) {
      await record(db, deps.newId(), {
        ...base,
        kind: 'autoReplied',
        summary: `Automatic reply received (${m.autoReply}); not counted as a reply`,
      });
      return 'autoReply';
    }
    if (m.optOut) {
      const optOuts = { ...m.lead.optOuts, [m.channel]: true };
      await db.leads.update(m.lead.id, { optOuts, updatedAt: now });
      await record(db, deps.newId(), {
        ...base,
        kind: 'optedOut',
        summary: `${who} opted out of ${m.channel === 'email' ? 'email' : 'text messages'} (${m.what}); those steps are skipped from now on`,
      });
      return 'optOut';
    }
    // What the lead wrote, then the reply itself (engaged, pause-on-reply) through the enrollments area.
    await record(db, deps.newId(), { ...base, kind: 'note', summary: `${who} wrote: ${m.what}` });
    const { paused } = await recordReply(deps, leadId, m.channel);
    const body = paused ? `${m.what}. ${paused} plan${paused === 1 ? '' : 's'} paused.` : m.what;
    await db.outbox.add(
      notificationRow(deps, { leadId, planId: null, enrollmentId: null, stepId: null }, `reply:${m.key}`, `${who} replied`, body, now),
    );
    await touchWrittenLeads(deps);
    return 'reply';
  });
}

export async function handleInboundEmail(
  deps: EngineDeps,
  mail: InboundEmail,
  key: string,
  ownAddresses: string[],
): Promise<InboundOutcome> {
  if (ownAddresses.includes(mail.fromAddress)) return 'unknownSender';
  const lead = await findLeadForEmail(deps, mail);
  if (!lead) return 'unknownSender';
  const firstLine = mail.text.trim().split('\n')[0] ?? '';
  return handle(
    deps,
    {
      key,
      channel: 'email',
      lead,
      what: `Email "${mail.subject}"`,
      text: mail.text,
      optOut: OPT_OUT.test(mail.subject.replace(/^(re|aw|fw|fwd):\s*/i, '')) || OPT_OUT.test(firstLine),
      autoReply: mail.autoReply,
    },
    deps.clock.now(),
  );
}

export async function handleInboundSms(deps: EngineDeps, sms: InboundSms): Promise<InboundOutcome> {
  const lead = await deps.db.leads.where('phone').equals(sms.from).first();
  if (!lead) return 'unknownSender';
  return handle(
    deps,
    {
      key: `sms:${sms.id}`,
      channel: 'sms',
      lead,
      what: `Text "${excerpt(sms.body).slice(0, 80)}"`,
      text: sms.body,
      optOut: OPT_OUT.test(sms.body),
      autoReply: null,
    },
    deps.clock.now(),
  );
}

import type { UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { getSetting } from '../settings/store';

/** Who a plan email comes from: the lead's agent (else the plan's author), as in the merge scope. */
export interface Sender {
  /** Set only when a team member other than the mailbox owner sends (their name, replies to them). */
  as: { fromName: string; replyTo: string } | null;
  signature: string;
}

/**
 * The sending agent's name and address when they are not the mailbox owner (replies go to them; the
 * From address stays the account's mailbox so SPF/DMARC still pass) and their signature, kept per user under `signature:<userId>`
 * (the key the templates area writes).
 */
export async function senderFor(deps: EngineDeps, lead: Lead, plan: Plan): Promise<Sender | null> {
  const id: UserId = lead.assignees.buyerAgent ?? lead.assignees.listingAgent ?? plan.createdBy;
  const [user, row, mailbox] = await Promise.all([
    deps.db.users.get(id),
    deps.db.settings.get(`signature:${id}`),
    getSetting(deps.db, 'emailAccount'),
  ]);
  if (!user) return null;
  const other = user.email !== '' && user.email.toLowerCase() !== mailbox?.fromEmail.toLowerCase();
  return {
    as: other ? { fromName: user.name, replyTo: user.email } : null,
    signature: typeof row?.value === 'string' ? row.value.trim() : '',
  };
}

/** The signature goes after the usual "-- " separator, so mail programs can fold it away. */
export function withSignature(text: string, signature: string): string {
  return signature ? `${text.trimEnd()}\n\n-- \n${signature}` : text;
}

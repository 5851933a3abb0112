import type { LeadId } from '@shared/model/ids';
import type { Lead, LeadFields } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { User } from '@shared/model/team';
import type { EngineDeps } from '../deps';
import type { HistoryEntry } from '@shared/model/history';
import { userActor } from '../history/history';
import type { LeadRow } from '../store/db';
import { leadSearchWords } from '../store/search-key';

export function toLeadRow(lead: Lead): LeadRow {
  return { ...lead, searchWords: leadSearchWords(lead) };
}

export function newLead(deps: EngineDeps, fields: LeadFields, user: User): Lead {
  const now = deps.clock.now();
  return {
    ...fields,
    id: deps.newId() as LeadId,
    optOuts: { email: false, sms: false },
    createdAt: now,
    updatedAt: now,
    createdBy: user.id,
  };
}

export interface InsertOptions {
  /** Routing rules and plan triggers run for the new leads (a CSV import may opt out). */
  automations: boolean;
  /** Where the leads came from, for their history line. */
  origin: 'form' | 'csv';
}

/**
 * The one way new leads enter the store — the lead form and CSV import alike — so every rule that
 * applies to a new lead (routing, plan triggers) runs from `afterLeadsCreated`, whatever its origin.
 */
export async function insertLeads(deps: EngineDeps, user: User, leads: Lead[], options: InsertOptions): Promise<void> {
  const { db } = deps;
  const actor = userActor(user);
  const history: HistoryEntry[] = leads.map((lead) => ({
    id: deps.newId(),
    leadId: lead.id,
    at: lead.createdAt,
    kind: 'leadCreated',
    summary: `Lead ${leadDisplayName(lead)} created${options.origin === 'csv' ? ' by CSV import' : ''}`,
    actor,
    planId: null,
    enrollmentId: null,
    stepId: null,
    outboxId: null,
    detail: null,
  }));
  await db.transaction('rw', db.leads, db.history, async () => {
    await db.leads.bulkAdd(leads.map(toLeadRow));
    await db.history.bulkAdd(history);
  });
  if (options.automations) await afterLeadsCreated(deps, user, leads);
}

/**
 * Where rules that apply to every new lead run, once it is stored: routing rules and plan triggers
 * call in here (the lead form and CSV import both pass through). None exists in this version yet.
 */
export function afterLeadsCreated(_deps: EngineDeps, _user: User, _leads: Lead[]): Promise<void> {
  return Promise.resolve();
}

import type { LeadId } from '@shared/model/ids';
import type { Lead, LeadFields } from '@shared/model/lead';
import type { User } from '@shared/model/team';
import type { EngineDeps } from '../deps';
import { firedTrigger, fireTriggers } from '../enrollments/triggers';
import { assignNewLead } from '../routing/route';
import type { LeadRow } from '../store/db';
import { leadSearchWords } from '../store/search-key';
import { touchWrittenLeads } from './touch';

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
  /** Where the leads came from, for their timeline's first line. */
  origin: 'csv';
}

/**
 * The one way leads enter the store in bulk (CSV import), so every rule that applies to a new lead
 * (routing, plan triggers) runs from `afterLeadsCreated`, as for a lead typed in. Each lead's
 * "created" line is made from its row when its timeline is read (leads/timeline.ts): a stored line
 * per row was half of an import's writes (npm run bench, CSV import).
 */
export async function insertLeads(deps: EngineDeps, user: User, leads: Lead[], options: InsertOptions): Promise<void> {
  const { db } = deps;
  // With automations the whole batch is one transaction, as `leads.create` is: a lead is never stored
  // without its routing and triggered plans, and a failure leaves none of the batch behind.
  const tables = options.automations ? db.tables : [db.leads];
  await db.transaction('rw', tables, async () => {
    await db.leads.bulkAdd(leads.map((lead) => ({ ...toLeadRow(lead), createdVia: options.origin })));
    if (options.automations) {
      await afterLeadsCreated(deps, user, leads);
      await touchWrittenLeads(deps);
    }
  });
}

/**
 * The rules `leads.create` applies to a new lead, for leads that arrive in bulk (CSV import), in the
 * same order: plan triggers, then routing (rules, round robin, the routed user's Lead Routing
 * Settings). Call inside the transaction that stored the leads.
 */
export async function afterLeadsCreated(deps: EngineDeps, user: User, leads: Lead[]): Promise<void> {
  // Plans are read once per batch; a lead none of them would trigger skips the per-lead lookups.
  const triggering = (await deps.db.plans.where('status').equals('ready').toArray()).filter(
    (p) => p.triggers.sources.length + p.triggers.stages.length + p.triggers.tags.length > 0,
  );
  // With no routing rule, routing only makes the importer the owner: the import does that as it
  // builds each lead (see ownedBy in leads-import), so a batch is not written twice.
  const routing = (await deps.db.routingRules.count()) > 0;
  for (const lead of leads) {
    if (triggering.some((p) => firedTrigger(p, null, lead))) await fireTriggers(deps, null, lead);
    if (routing) await assignNewLead(deps, lead, user);
  }
}

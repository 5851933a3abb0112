import type { leadsContract, UpcomingStep } from '@shared/contract/leads';
import type { LeadId } from '@shared/model/ids';
import type { Lead, LeadFields } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import { notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';
import type { LeadRow } from '../store/db';
import { leadSearchWords } from '../store/search-key';
import { positionAt } from '../enrollments/position';
import { realignLead } from '../enrollments/realign';
import { fireTriggers } from '../enrollments/triggers';
import { enrollmentsOfLead, leadIdsMatching } from '../store/queries';
import { leadTimeline } from './timeline';
import { touchWrittenLeads } from './touch';

export function toLead(row: LeadRow): Lead {
  const { searchWords: _searchWords, ...lead } = row;
  return lead;
}

function toRow(lead: Lead): LeadRow {
  return { ...lead, searchWords: leadSearchWords(lead) };
}

export async function getLead(deps: EngineDeps, id: LeadId): Promise<Lead> {
  const row = await deps.db.leads.get(id);
  if (!row) throw notFound('Lead', id);
  return toLead(row);
}

export function createLeadsHandlers(deps: EngineDeps): AreaHandlers<typeof leadsContract> {
  const { db, clock } = deps;
  return {
    async 'leads.create'(fields: LeadFields, { user }) {
      const now = clock.now();
      const lead: Lead = {
        ...fields,
        id: deps.newId() as LeadId,
        optOuts: { email: false, sms: false },
        createdAt: now,
        updatedAt: now,
        createdBy: user.id,
      };
      await db.transaction('rw', [db.leads, db.history, db.plans, db.enrollments], async () => {
        await db.leads.add(toRow(lead));
        await record(db, deps.newId(), {
          leadId: lead.id,
          at: now,
          kind: 'leadCreated',
          summary: `Lead ${leadDisplayName(lead)} created`,
          actor: userActor(user),
        });
        await fireTriggers(deps, null, lead);
        await touchWrittenLeads(deps);
      });
      deps.wake();
      return lead;
    },

    async 'leads.update'({ id, fields }, { user }) {
      const now = clock.now();
      const updated = await db.transaction('rw', [db.leads, db.history, db.plans, db.enrollments, db.users], async () => {
        const before = await getLead(deps, id);
        const lead: Lead = { ...before, ...fields, updatedAt: now };
        await db.leads.put(toRow(lead));
        await record(db, deps.newId(), { leadId: id, at: now, kind: 'leadUpdated', summary: 'Profile updated', actor: userActor(user) });
        const moved = await assigneeChanges(deps, before, lead);
        if (moved)
          await record(db, deps.newId(), {
            leadId: id,
            at: now,
            kind: 'leadUpdated',
            summary: `${moved}, by ${user.name}`,
            actor: userActor(user),
          });
        await realignLead(deps, before, lead);
        await fireTriggers(deps, before, lead);
        await touchWrittenLeads(deps);
        return lead;
      });
      deps.wake();
      return updated;
    },

    async 'leads.get'({ id }) {
      return getLead(deps, id);
    },

    async 'leads.list'({ search, offset, limit }) {
      const term = search.trim().toLowerCase().split(/\s+/)[0] ?? '';
      if (term) {
        const ids = await leadIdsMatching(db, term);
        const rows = await db.leads.bulkGet(ids.slice(offset, offset + limit));
        return { rows: rows.filter((r) => r !== undefined).map(toLead), total: ids.length };
      }
      const newest = db.leads.orderBy('createdAt').reverse();
      const [rows, total] = await Promise.all([newest.clone().offset(offset).limit(limit).toArray(), db.leads.count()]);
      return { rows: rows.map(toLead), total };
    },

    async 'leads.history'({ leadId }) {
      return leadTimeline(deps, leadId);
    },

    async 'leads.upcoming'({ leadId }) {
      const lead = await getLead(deps, leadId);
      const enrollments = await enrollmentsOfLead(db, leadId).toArray();
      const upcoming: UpcomingStep[] = [];
      for (const e of enrollments) {
        if (e.state !== 'active' || e.nextStepId === null) continue;
        const plan = await db.plans.get(e.planId);
        if (!plan) continue;
        // The next step and every one after it, each with the instant it is due for this lead.
        const from = plan.steps.findIndex((s) => s.id === e.nextStepId);
        for (const step of from < 0 ? [] : plan.steps.slice(from)) {
          const due = positionAt(step, e, lead).nextDueAt;
          if (due === null) continue;
          upcoming.push({
            enrollmentId: e.id,
            planId: plan.id,
            planName: plan.name,
            stepId: step.id,
            stepName: step.name || defaultStepName(step.kind),
            stepKind: step.kind,
            dueAt: step.id === e.nextStepId && e.nextDueAt !== null ? e.nextDueAt : due,
            leadTimeZone: lead.timeZone,
          });
        }
      }
      return upcoming.sort((a, b) => a.dueAt - b.dueAt);
    },
  };
}

const ROLE_WORDS = { buyerAgent: 'Buyer agent', listingAgent: 'Listing agent', lender: 'Lender' } as const;

/** "Lender: Lee Lender → none" for each person the edit changed, or null: who works a lead is worth a line of its own. */
async function assigneeChanges(deps: EngineDeps, before: Lead, after: Lead): Promise<string | null> {
  const roles = (Object.keys(ROLE_WORDS) as (keyof typeof ROLE_WORDS)[]).filter(
    (r) => (before.assignees[r] ?? null) !== (after.assignees[r] ?? null),
  );
  if (roles.length === 0) return null;
  const users = new Map((await deps.db.users.toArray()).map((u) => [u.id as string, u.name]));
  const name = (id: string | undefined) => (id ? (users.get(id) ?? 'a former member') : 'none');
  return roles.map((r) => `${ROLE_WORDS[r]}: ${name(before.assignees[r])} → ${name(after.assignees[r])}`).join('; ');
}

export function defaultStepName(kind: string): string {
  return kind === 'email' ? 'Email' : kind.charAt(0).toUpperCase() + kind.slice(1);
}

import type { BulkAction, BulkResult } from '@shared/contract/lead-workspace';
import type { Actor } from '@shared/model/enrollment';
import type { LeadId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import type { LeadRow, LeadTrashRow } from '../store/db';
import { touchLead } from './touch';

/** Leads per transaction: small enough to keep the UI's queries flowing while a 100k-lead action runs. */
const CHUNK = 500;

const ROLE_LABEL = { buyerAgent: 'Buyer agent', listingAgent: 'Listing agent', lender: 'Lender' } as const;

/** The lead after the action, or null when it does not change it (no history line then). */
function apply(
  row: LeadRow,
  action: Exclude<BulkAction, { kind: 'delete' }>,
  userName: (id: string) => string,
): { row: LeadRow; summary: string } | null {
  switch (action.kind) {
    case 'addTags': {
      const added = action.tags.filter((t) => !row.tags.includes(t));
      return added.length ? { row: { ...row, tags: [...row.tags, ...added] }, summary: `Tags added: ${added.join(', ')}` } : null;
    }
    case 'removeTags': {
      const removed = row.tags.filter((t) => action.tags.includes(t));
      return removed.length
        ? { row: { ...row, tags: row.tags.filter((t) => !removed.includes(t)) }, summary: `Tags removed: ${removed.join(', ')}` }
        : null;
    }
    case 'setStage':
      return row.stage === action.stage
        ? null
        : { row: { ...row, stage: action.stage }, summary: `Stage changed from ${row.stage} to ${action.stage}` };
    case 'assign': {
      if ((row.assignees[action.role] ?? null) === action.userId) return null;
      const assignees = { ...row.assignees };
      if (action.userId) assignees[action.role] = action.userId;
      else delete assignees[action.role];
      const summary = action.userId ? `${ROLE_LABEL[action.role]}: ${userName(action.userId)}` : `${ROLE_LABEL[action.role]} unassigned`;
      return { row: { ...row, assignees }, summary };
    }
  }
}

/** Applies one action to many leads, chunk by chunk, each lead's change with its history line. */
export async function bulkApply(deps: EngineDeps, ids: readonly LeadId[], action: BulkAction, actor: Actor): Promise<BulkResult> {
  const { db, clock } = deps;
  const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u.name]));
  const userName = (id: string) => users.get(id) ?? 'unknown user';
  const batchId = action.kind === 'delete' ? deps.newId() : null;
  let changed = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await db.transaction('rw', [db.leads, db.history, db.leadTrash], async () => {
      const now = clock.now();
      const rows = (await db.leads.bulkGet(chunk)).filter((r): r is LeadRow => !!r);
      if (action.kind === 'delete') {
        const trash: LeadTrashRow[] = rows.map((lead) => ({ id: lead.id, batchId: batchId!, deletedAt: now, lead }));
        await db.leadTrash.bulkPut(trash);
        await db.leads.bulkDelete(rows.map((r) => r.id));
        for (const r of rows)
          await record(db, deps.newId(), {
            leadId: r.id,
            at: now,
            kind: 'leadUpdated',
            summary: `Lead ${leadDisplayName(r)} deleted`,
            actor,
          });
        changed += rows.length;
        return;
      }
      const updates = rows.map((r) => apply(r, action, userName)).filter((u) => u !== null);
      await db.leads.bulkPut(updates.map((u) => ({ ...u.row, updatedAt: now, lastActivityAt: now })));
      for (const u of updates)
        await record(db, deps.newId(), { leadId: u.row.id, at: now, kind: 'leadUpdated', summary: u.summary, actor });
      changed += updates.length;
    });
  }
  return { changed, batchId };
}

/**
 * Puts a deleted batch back as it was, except for people removed from the team meanwhile: a lead
 * never comes back assigned to someone who is no longer there (its history line says who was dropped).
 */
export async function restoreBatch(deps: EngineDeps, batchId: string, actor: Actor): Promise<number> {
  const { db, clock } = deps;
  return db.transaction('rw', [db.leads, db.history, db.leadTrash, db.users, db.enrollments], async () => {
    const [trash, userIds] = await Promise.all([
      db.leadTrash.where('batchId').equals(batchId).toArray(),
      db.users.toCollection().primaryKeys(),
    ]);
    const team = new Set<string>(userIds);
    const restored = trash.map((t) => withoutFormerUsers(t.lead, team));
    await db.leads.bulkPut(restored.map((r) => r.lead));
    await db.leadTrash.bulkDelete(trash.map((t) => t.id));
    // Its plans may have moved on while it was deleted (the scheduler stops them): recounted.
    await Promise.all(restored.map((r) => touchLead(deps, r.lead.id)));
    for (const r of restored) {
      const dropped = r.dropped.length ? ` (no longer assigned to ${r.dropped.join(', ')}: not on the team any more)` : '';
      await record(db, deps.newId(), {
        leadId: r.lead.id,
        at: clock.now(),
        kind: 'leadUpdated',
        summary: `Lead restored${dropped}`,
        actor,
      });
    }
    return trash.length;
  });
}

const ROLE_WORDS = { buyerAgent: 'buyer agent', listingAgent: 'listing agent', lender: 'lender' } as const;

function withoutFormerUsers(lead: LeadRow, team: ReadonlySet<string>): { lead: LeadRow; dropped: string[] } {
  const assignees = { ...lead.assignees };
  const dropped: string[] = [];
  for (const role of Object.keys(ROLE_WORDS) as (keyof typeof ROLE_WORDS)[]) {
    const id = assignees[role];
    if (id !== undefined && !team.has(id)) {
      delete assignees[role];
      dropped.push(`the former ${ROLE_WORDS[role]}`);
    }
  }
  return { lead: dropped.length ? { ...lead, assignees } : lead, dropped };
}

import type { HistoryEntry } from '@shared/model/history';
import type { LeadId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import type { EngineDeps } from '../deps';
import { historyEntry } from '../history/history';

/**
 * A lead's timeline, newest first: its stored history lines, and for a lead that came in bulk (a CSV
 * import) the "created" line its row tells (createdVia, createdAt, createdBy), which is not stored.
 * That line names the lead and the importer as they are called today, not at the time of the import.
 */
export async function leadTimeline(deps: EngineDeps, leadId: LeadId): Promise<HistoryEntry[]> {
  const { db } = deps;
  const [rows, lead] = await Promise.all([
    db.history.where('[leadId+at]').between([leadId, -Infinity], [leadId, Infinity]).toArray(),
    db.leads.get(leadId),
  ]);
  if (lead?.createdVia && !rows.some((h) => h.kind === 'leadCreated')) {
    const user = await db.users.get(lead.createdBy);
    rows.push(
      // Its id sorts before every line written since: ids sort by creation time (ids.ts), '0:' before them all.
      historyEntry(`0:created:${lead.id}`, {
        leadId,
        at: lead.createdAt,
        kind: 'leadCreated',
        summary: `Lead ${leadDisplayName(lead)} created by CSV import`,
        actor: { kind: 'user', userId: lead.createdBy, name: user?.name ?? 'a user who was removed' },
      }),
    );
  }
  // Newest first; ids sort by creation, so lines written in the same millisecond keep their order.
  return rows.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
}

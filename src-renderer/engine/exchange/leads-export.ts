import Papa from 'papaparse';
import { LEAD_CSV_FIELD_LABELS, neutralizeCell } from '@shared/exchange/lead-csv';
import type { Lead } from '@shared/model/lead';
import type { EngineDeps } from '../deps';
import { toLead } from '../leads/app';
import { leadIdsMatching } from '../store/queries';
import { canSeeLead } from '../team/permissions';
import { getActionPlanSettings } from '../team/settings';
import type { User } from '@shared/model/team';

/** The leads the table shows: all of them, or those matching the search (same index as the list). */
async function leadsInView(deps: EngineDeps, user: User, search: string): Promise<Lead[]> {
  const term = search.trim().toLowerCase().split(/\s+/)[0] ?? '';
  const rows = term
    ? (await deps.db.leads.bulkGet(await leadIdsMatching(deps.db, term))).filter((r) => r !== undefined)
    : await deps.db.leads.orderBy('createdAt').reverse().toArray();
  // A lender exports only the leads they may see (those where they are the lender), as in their list.
  const settings = await getActionPlanSettings(deps.db);
  return rows.filter((r) => canSeeLead(user, r, settings)).map(toLead);
}

/** A CSV a spreadsheet opens as plain text: every cell that could start a formula is neutralised. */
export async function exportLeadsCsv(deps: EngineDeps, user: User, search: string): Promise<{ text: string; count: number }> {
  const leads = await leadsInView(deps, user, search);
  const L = LEAD_CSV_FIELD_LABELS;
  const header = [L.firstName, L.lastName, L.email, L.phone, L.stage, L.source, L.tags, L.timeZone, 'Created'];
  const data = leads.map((l) =>
    [
      l.firstName,
      l.lastName,
      l.email ?? '',
      l.phone ?? '',
      l.stage,
      l.source,
      l.tags.join('; '),
      l.timeZone,
      new Date(l.createdAt).toISOString(),
    ].map(neutralizeCell),
  );
  // Excel reads UTF-8 only with a BOM; every other reader skips it.
  return { text: `\uFEFF${Papa.unparse({ fields: header, data }, { newline: '\r\n' })}`, count: leads.length };
}

import type { BulkPreview } from '@shared/contract/enrollments';
import type { LeadId, PlanId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import type { LeadRow } from '../store/db';
import { LIVE_STATES } from './lifecycle';
import { enrollmentsOfPlan } from '../store/queries';

export interface BulkSelection {
  planId: PlanId;
  tags: string[];
  stages: string[];
  sources: string[];
}

/** Every given criterion must match: any of the tags, and one of the stages, and one of the sources. */
export function matchesSelection(lead: Pick<LeadRow, 'tags' | 'stage' | 'source'>, s: BulkSelection): boolean {
  if (s.tags.length > 0 && !lead.tags.some((t) => s.tags.includes(t))) return false;
  if (s.stages.length > 0 && !s.stages.includes(lead.stage)) return false;
  if (s.sources.length > 0 && !s.sources.includes(lead.source)) return false;
  return true;
}

export async function bulkMatches(deps: EngineDeps, s: BulkSelection): Promise<LeadId[]> {
  const ids: LeadId[] = [];
  await deps.db.leads.each((lead) => {
    if (matchesSelection(lead, s)) ids.push(lead.id);
  });
  return ids;
}

export async function bulkPreview(deps: EngineDeps, s: BulkSelection): Promise<BulkPreview> {
  const { db } = deps;
  const plan = await db.plans.get(s.planId);
  const ids = new Set(await bulkMatches(deps, s));
  const rows = await enrollmentsOfPlan(db, s.planId).toArray();
  const live = new Set(rows.filter((e) => LIVE_STATES.has(e.state)).map((e) => e.leadId));
  const been = new Set(rows.filter((e) => e.state !== 'removed').map((e) => e.leadId));
  let alreadyInPlan = 0;
  let notAllowedAgain = 0;
  for (const id of ids) {
    if (live.has(id)) alreadyInPlan++;
    else if (plan && !plan.allowRestart && been.has(id)) notAllowedAgain++;
  }
  return { matching: ids.size, willEnroll: ids.size - alreadyInPlan - notAllowedAgain, alreadyInPlan, notAllowedAgain };
}

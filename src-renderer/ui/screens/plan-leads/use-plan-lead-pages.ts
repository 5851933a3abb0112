import type { LiveState, PlanLeadRow } from '@shared/contract/enrollments-bulk';
import type { PlanId } from '@shared/model/ids';
import { useClient } from '../../lib/store';
import type { PagedRows } from '../../lib/use-paged-rows';
import { usePagedRows } from '../../lib/use-paged-rows';

export const PLAN_LEAD_PAGE = 200;
/**
 * How often the table re-reads its pages while the engine keeps changing enrollments. A bulk action
 * over thousands of leads commits every few milliseconds; re-reading the pages (and the tab counts)
 * after each commit made it ten times slower: 500 pauses took 35 s with this table open, 3 s with it
 * re-reading once a second (Chromium, 3,000 enrolled). Once per interval is enough.
 */
const REFRESH_EVERY_MS = 1_000;
const REFRESH_ON = ['enrollments', 'leads', 'plans'] as const;

export type PlanLeadPages = PagedRows<PlanLeadRow>;

/** A plan's leads in one state, a page at a time as the table scrolls (the engine reads the `[planId+state]` index). */
export function usePlanLeadPages(planId: PlanId, state: LiveState): PlanLeadPages {
  const client = useClient();
  return usePagedRows({
    key: `${planId}:${state}`,
    pageSize: PLAN_LEAD_PAGE,
    fetchPage: (offset, limit) => client.call('enrollments.byPlanState', { planId, state, offset, limit }),
    refreshOn: REFRESH_ON,
    throttleMs: REFRESH_EVERY_MS,
  });
}

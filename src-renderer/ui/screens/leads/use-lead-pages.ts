import type { LeadFilter, LeadSortField, LeadSummary } from '@shared/contract/lead-workspace';
import { useClient } from '../../lib/store';
import type { PagedRows } from '../../lib/use-paged-rows';
import { usePagedRows } from '../../lib/use-paged-rows';

export const PAGE_SIZE = 100;

export interface LeadQuery {
  filter: LeadFilter;
  sort: LeadSortField;
  dir: 'asc' | 'desc';
}

export type LeadPages = PagedRows<LeadSummary>;

const REFRESH_ON = ['leads', 'enrollments', 'leadTrash'] as const;

/** The Leads table's rows, a page at a time: the UI holds only the pages near the viewport, never the 100k leads. */
export function useLeadPages(query: LeadQuery): LeadPages {
  const client = useClient();
  return usePagedRows({
    key: JSON.stringify(query),
    pageSize: PAGE_SIZE,
    fetchPage: (offset, limit) => client.call('leads.query', { ...query.filter, sort: query.sort, dir: query.dir, offset, limit }),
    refreshOn: REFRESH_ON,
    throttleMs: 0,
  });
}

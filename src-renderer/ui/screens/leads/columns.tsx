import type { ReactNode } from 'react';
import type { LeadSortField, LeadSummary } from '@shared/contract/lead-workspace';
import { leadDisplayName } from '@shared/model/lead';

export interface LeadColumn {
  id: string;
  header: string;
  /** The engine index this column sorts by; columns without one are not sortable. */
  sort?: LeadSortField;
  width: number;
  cell: (lead: LeadSummary, ctx: CellContext) => ReactNode;
}

export interface CellContext {
  userName: (id: string | undefined) => string;
  openLead: (lead: LeadSummary) => void;
}

const dash = '—';

// One formatter for every cell: building an Intl formatter per cell costs more than a scroll frame allows.
const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
const formatDateTime = (at: number): string => dateTime.format(at);

export const LEAD_COLUMNS: LeadColumn[] = [
  {
    id: 'name',
    header: 'Name',
    sort: 'name',
    width: 190,
    cell: (lead, { openLead }) => (
      <a
        href={`#lead-${lead.id}`}
        onClick={(e) => {
          e.preventDefault();
          openLead(lead);
        }}
      >
        {leadDisplayName(lead)}
      </a>
    ),
  },
  { id: 'email', header: 'Email', sort: 'email', width: 240, cell: (l) => l.email ?? dash },
  { id: 'phone', header: 'Phone', sort: 'phone', width: 140, cell: (l) => l.phone ?? dash },
  { id: 'stage', header: 'Stage', sort: 'stage', width: 130, cell: (l) => l.stage },
  {
    id: 'tags',
    header: 'Tags',
    width: 180,
    cell: (l) =>
      l.tags.length
        ? l.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))
        : dash,
  },
  { id: 'source', header: 'Source', sort: 'source', width: 120, cell: (l) => l.source || dash },
  { id: 'buyerAgent', header: 'Buyer agent', width: 130, cell: (l, c) => c.userName(l.assignees.buyerAgent) },
  { id: 'listingAgent', header: 'Listing agent', width: 130, cell: (l, c) => c.userName(l.assignees.listingAgent) },
  { id: 'lender', header: 'Lender', width: 130, cell: (l, c) => c.userName(l.assignees.lender) },
  { id: 'activePlans', header: 'Active plans', sort: 'activePlanCount', width: 110, cell: (l) => l.activePlanCount || dash },
  {
    id: 'nextDue',
    header: 'Next step due',
    sort: 'nextDueAt',
    width: 190,
    cell: (l) => (l.nextDueAt ? formatDateTime(l.nextDueAt) : dash),
  },
  { id: 'lastActivity', header: 'Last activity', sort: 'lastActivityAt', width: 190, cell: (l) => formatDateTime(l.lastActivityAt) },
  { id: 'created', header: 'Created', sort: 'createdAt', width: 190, cell: (l) => formatDateTime(l.createdAt) },
];

export const COLUMN_BY_ID = new Map(LEAD_COLUMNS.map((c) => [c.id, c]));

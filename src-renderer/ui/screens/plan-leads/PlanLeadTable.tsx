import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LiveState, PlanLeadRow } from '@shared/contract/enrollments-bulk';
import type { EnrollmentId, LeadId } from '@shared/model/ids';
import { formatDateTime } from '../../lib/format';
import type { PlanLeadPages } from './use-plan-lead-pages';

const ROW_HEIGHT = 40;
const estimateSize = () => ROW_HEIGHT;
const count = new Intl.NumberFormat('en-US');

/** Columns share the width left after the checkbox; the lead's name and email get more of it. */
const GROW = [3, 4, 2, 4];
const cell = (grow: number) => ({ flex: `${grow} 1 0`, minWidth: 120 });

/**
 * The leads of one plan in one state: only the rows in view are rendered (TanStack Virtual) and
 * fetched (pages from the engine), so a plan with thousands of leads scrolls to its end.
 */
export function PlanLeadTable({
  state,
  pages,
  isSelected,
  allSelected,
  someSelected,
  onToggle,
  onToggleAll,
  onOpenLead,
}: {
  state: LiveState;
  pages: PlanLeadPages;
  isSelected: (id: EnrollmentId) => boolean;
  allSelected: boolean;
  someSelected: boolean;
  onToggle: (id: EnrollmentId) => void;
  onToggleAll: () => void;
  onOpenLead: (id: LeadId) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 8,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = pages;
  useEffect(() => ensure(first, last), [ensure, first, last]);
  const headers = ['Lead', 'Email', state === 'completed' ? 'Finished' : 'Next step', state === 'active' ? 'Due' : 'Since'];

  return (
    <div className="grid-scroll plan-leads-scroll" ref={scrollRef} tabIndex={-1}>
      <table className="grid plan-leads-grid" aria-label={`${state} leads`} aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="grid-select" style={{ width: 44 }}>
              <input
                type="checkbox"
                aria-label={`Select all ${count.format(total)} leads`}
                checked={allSelected}
                ref={(el) => {
                  if (el) el.indeterminate = !allSelected && someSelected;
                }}
                onChange={onToggleAll}
              />
            </th>
            {headers.map((h, i) => (
              <th key={h} scope="col" style={cell(GROW[i]!)}>
                <span className="grid-header-label">{h}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const r = pages.rowAt(item.index);
            const selected = r ? isSelected(r.id) : false;
            return (
              <tr
                key={item.key}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={`grid-row${selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, width: '100%' }}
              >
                <td className="grid-select" style={{ width: 44 }}>
                  {r ? (
                    <input type="checkbox" aria-label={`Select ${r.leadName}`} checked={selected} onChange={() => onToggle(r.id)} />
                  ) : null}
                </td>
                {r ? (
                  <Cells row={r} state={state} onOpenLead={onOpenLead} />
                ) : (
                  <td style={cell(11)}>
                    <span className="grid-skeleton" aria-hidden="true" />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cells({ row: r, state, onOpenLead }: { row: PlanLeadRow; state: LiveState; onOpenLead: (id: LeadId) => void }) {
  return (
    <>
      <td style={cell(GROW[0]!)}>
        <a
          href={`#lead-${r.leadId}`}
          onClick={(e) => {
            e.preventDefault();
            onOpenLead(r.leadId);
          }}
        >
          {r.leadName}
        </a>
      </td>
      <td className="muted" style={cell(GROW[1]!)}>
        <span className="clip" title={r.leadEmail}>
          {r.leadEmail}
        </span>
      </td>
      <td style={cell(GROW[2]!)}>{state === 'completed' ? (r.exitReason ?? 'Completed') : (r.nextStepLabel ?? '—')}</td>
      <td className="muted" style={cell(GROW[3]!)}>
        <span className="clip">{state === 'active' && r.nextDueAt ? formatDateTime(r.nextDueAt) : formatDateTime(r.updatedAt)}</span>
      </td>
    </>
  );
}

import type { ColumnDef, ColumnOrderState, ColumnSizingState, VisibilityState } from '@tanstack/react-table';
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MouseEvent } from 'react';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { LeadSortField, LeadSummary } from '@shared/contract/lead-workspace';
import type { CellContext } from './columns';
import { COLUMN_BY_ID, LEAD_COLUMNS } from './columns';
import type { LeadPages } from './use-lead-pages';

export const ROW_HEIGHT = 40;
const SELECT_WIDTH = 44;
const NO_DATA: LeadSummary[] = [];
const estimateSize = () => ROW_HEIGHT;

export interface TableLayout {
  order: ColumnOrderState;
  hidden: string[];
  widths: ColumnSizingState;
}

export interface SelectionView {
  isSelected(id: string): boolean;
  /** Some lead is selected: the header checkbox shows mixed when not every lead on screen is. */
  any: boolean;
  toggle(index: number, lead: LeadSummary, range: boolean): void;
  /** Header checkbox: select the rows on screen, or clear the selection. */
  toggleAll(onScreen: LeadSummary[]): void;
}

const columnDefs: ColumnDef<LeadSummary>[] = LEAD_COLUMNS.map((c) => ({
  id: c.id,
  header: c.header,
  size: c.width,
  minSize: 60,
  maxSize: 800,
}));

/**
 * The leads grid: TanStack Table owns the column model (order, visibility, widths, resizing);
 * TanStack Virtual renders only the rows in view, each fetched by page from the engine.
 */
export function LeadTable({
  pages,
  layout,
  onLayout,
  sort,
  dir,
  onSort,
  selection,
  cellContext,
}: {
  pages: LeadPages;
  layout: TableLayout;
  onLayout: (layout: TableLayout) => void;
  sort: LeadSortField;
  dir: 'asc' | 'desc';
  onSort: (sort: LeadSortField) => void;
  selection: SelectionView;
  cellContext: CellContext;
}) {
  const visibility = useMemo<VisibilityState>(() => Object.fromEntries(layout.hidden.map((id) => [id, false])), [layout.hidden]);
  const table = useReactTable({
    data: NO_DATA,
    columns: columnDefs,
    state: { columnOrder: layout.order, columnVisibility: visibility, columnSizing: layout.widths },
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    onColumnSizingChange: (updater) => onLayout({ ...layout, widths: typeof updater === 'function' ? updater(layout.widths) : updater }),
    getCoreRowModel: getCoreRowModel(),
  });
  const columns = table.getVisibleLeafColumns();
  const width = SELECT_WIDTH + columns.reduce((sum, c) => sum + c.getSize(), 0);
  // The same array while the layout is the same, so rows already on screen skip re-rendering as it scrolls.
  const cellsKey = columns.map((c) => `${c.id}:${c.getSize()}`).join();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- cellsKey is what the cells depend on
  const cells = useMemo<RowCell[]>(() => columns.map((c) => ({ id: c.id, width: c.getSize() })), [cellsKey]);
  // Rows call the latest selection through a stable function (the selection object is new each render).
  const latest = useRef(selection);
  latest.current = selection;
  const onToggle = useCallback((index: number, lead: LeadSummary, range: boolean) => latest.current.toggle(index, lead, range), []);

  const scrollRef = useRef<HTMLDivElement>(null);
  const total = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 6,
    // Let React batch scroll renders instead of rendering synchronously inside each scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = pages;
  useEffect(() => ensure(first, last), [ensure, first, last]);

  const onScreen = items.map((i) => pages.rowAt(i.index)).filter((l): l is LeadSummary => !!l);
  const allOnScreen = onScreen.length > 0 && onScreen.every((l) => selection.isSelected(l.id));
  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={-1}>
      <table className="grid" aria-label="Leads" aria-rowcount={total + 1} style={{ width }}>
        <thead className="grid-head">
          <tr aria-rowindex={1}>
            <th scope="col" className="grid-select" style={{ width: SELECT_WIDTH }}>
              <input
                type="checkbox"
                aria-label="Select the leads on screen"
                checked={allOnScreen}
                ref={(el) => {
                  if (el) el.indeterminate = !allOnScreen && selection.any;
                }}
                onChange={() => selection.toggleAll(allOnScreen ? [] : onScreen)}
              />
            </th>
            {table.getFlatHeaders().map((header) => {
              const col = COLUMN_BY_ID.get(header.column.id)!;
              const active = col.sort !== undefined && col.sort === sort;
              return (
                <th
                  key={header.id}
                  scope="col"
                  style={{ width: header.getSize() }}
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {col.sort ? (
                    <button type="button" className="grid-sort" onClick={() => onSort(col.sort!)}>
                      {col.header}
                      <span aria-hidden="true">{active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    <span className="grid-header-label">{col.header}</span>
                  )}
                  <div
                    className={`grid-resizer${header.column.getIsResizing() ? ' resizing' : ''}`}
                    onMouseDown={header.getResizeHandler()}
                    onDoubleClick={() => header.column.resetSize()}
                    aria-hidden="true"
                  />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const lead = pages.rowAt(item.index);
            return (
              <LeadRowView
                key={item.key}
                index={item.index}
                start={item.start}
                lead={lead}
                selected={lead ? selection.isSelected(lead.id) : false}
                cells={cells}
                width={width}
                cellContext={cellContext}
                onToggle={onToggle}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface RowCell {
  id: string;
  width: number;
}

/**
 * One row of the grid. Memoized: while scrolling only rows that come into view (or whose lead,
 * selection or layout changed) render, not every row on screen each frame.
 */
const LeadRowView = memo(function LeadRowView({
  index,
  start,
  lead,
  selected,
  cells,
  width,
  cellContext,
  onToggle,
}: {
  index: number;
  start: number;
  lead: LeadSummary | undefined;
  selected: boolean;
  cells: RowCell[];
  width: number;
  cellContext: CellContext;
  onToggle: (index: number, lead: LeadSummary, range: boolean) => void;
}) {
  const onRowClick = (e: MouseEvent) => {
    if (!lead || (e.target as HTMLElement).closest('a, button, input')) return;
    onToggle(index, lead, e.shiftKey);
  };
  return (
    <tr
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={lead ? onRowClick : undefined}
    >
      <td className="grid-select" style={{ width: SELECT_WIDTH }}>
        {lead ? (
          <input
            type="checkbox"
            aria-label={`Select ${lead.firstName} ${lead.lastName}`.trim()}
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(index, lead, e.shiftKey);
            }}
          />
        ) : null}
      </td>
      {lead ? (
        cells.map((c) => (
          <td key={c.id} style={{ width: c.width }}>
            {COLUMN_BY_ID.get(c.id)!.cell(lead, cellContext)}
          </td>
        ))
      ) : (
        // One placeholder cell while the page loads: dragging the scrollbar builds far fewer nodes per frame.
        <td style={{ width: width - SELECT_WIDTH }}>
          <span className="grid-skeleton" aria-hidden="true" />
        </td>
      )}
    </tr>
  );
});

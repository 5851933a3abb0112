import { useState } from 'react';
import { LEAD_COLUMNS, COLUMN_BY_ID } from './columns';
import type { TableLayout } from './LeadTable';

/** Show, hide and reorder columns (buttons, so it works from the keyboard too). */
export function ColumnsMenu({ layout, onLayout }: { layout: TableLayout; onLayout: (l: TableLayout) => void }) {
  const move = (id: string, by: -1 | 1) => {
    const order = [...layout.order];
    const i = order.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    onLayout({ ...layout, order });
  };
  // The panel exists only while open, so its checkboxes never shadow the page's own labels.
  const [open, setOpen] = useState(false);
  return (
    <details className="menu" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="btn btn-secondary">Columns</summary>
      {open ? (
        <div className="menu-panel" role="group" aria-label="Columns">
          <ul className="list">
            {layout.order.map((id, i) => {
              const col = COLUMN_BY_ID.get(id);
              if (!col) return null;
              const hidden = layout.hidden.includes(id);
              return (
                <li key={id} className="menu-row">
                  <label>
                    <input
                      type="checkbox"
                      aria-label={`Show ${col.header} column`}
                      checked={!hidden}
                      disabled={id === 'name'}
                      onChange={() =>
                        onLayout({ ...layout, hidden: hidden ? layout.hidden.filter((h) => h !== id) : [...layout.hidden, id] })
                      }
                    />{' '}
                    {col.header}
                  </label>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Move ${col.header} left`}
                      disabled={i === 0}
                      onClick={() => move(id, -1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Move ${col.header} right`}
                      disabled={i === layout.order.length - 1}
                      onClick={() => move(id, 1)}
                    >
                      ↓
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
          <button type="button" className="link-button small" onClick={() => onLayout(defaultLayout())}>
            Reset columns
          </button>
        </div>
      ) : null}
    </details>
  );
}

export function defaultLayout(): TableLayout {
  return { order: LEAD_COLUMNS.map((c) => c.id), hidden: ['listingAgent', 'lender'], widths: {} };
}

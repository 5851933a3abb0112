import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LeadFilter, LeadSortField, LeadSummary, SavedView } from '@shared/contract/lead-workspace';
import { facetNames } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import { Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { LeadForm } from './LeadForm';
import { ExportLeadsButton } from './exchange/ExportLeadsButton';
import { BulkBar } from './leads/BulkBar';
import type { CellContext } from './leads/columns';
import type { BulkTarget } from './leads/BulkBar';
import { ColumnsMenu, defaultLayout } from './leads/ColumnsMenu';
import { FacetPanel } from './leads/FacetPanel';
import type { SelectionView, TableLayout } from './leads/LeadTable';
import { LeadTable } from './leads/LeadTable';
import { useLeadPages } from './leads/use-lead-pages';
import { SavedViews } from './leads/SavedViews';

const emptyFilter: LeadFilter = { search: '', stages: [], tags: [], sources: [], assignees: [], plans: [], states: [] };
const number = new Intl.NumberFormat('en-US');
const isTyping = (el: Element | null) =>
  !!el && (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || (el as HTMLElement).isContentEditable);

/** Keeps saved layouts usable when columns are added later: unknown ids drop, new columns append. */
function mergeLayout(saved: TableLayout | null): TableLayout {
  const base = defaultLayout();
  if (!saved) return base;
  const known = new Set(base.order);
  const order = saved.order.filter((id) => known.has(id));
  return {
    order: [...order, ...base.order.filter((id) => !order.includes(id))],
    hidden: saved.hidden.filter((id) => known.has(id)),
    widths: saved.widths,
  };
}

export function LeadsScreen() {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const session = useApp((s) => s.session);
  const [creating, setCreating] = useState(false);
  const [searchText, setSearchText] = useState('');
  const [filter, setFilter] = useState<LeadFilter>(emptyFilter);
  const [sort, setSort] = useState<LeadSortField>('createdAt');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [layout, setLayout] = useState<TableLayout>(defaultLayout);
  const [selected, setSelected] = useState<Set<LeadId>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [undo, setUndo] = useState<{ batchId: string; count: number } | null>(null);
  const anchor = useRef<number | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const pages = useLeadPages({ filter, sort, dir });
  const facets = useEngineQuery('leads.facets', filter, ['leads', 'enrollments', 'plans', 'users']);
  const users = useMemo(() => session?.users ?? [], [session]);
  const names = useMemo(() => new Map(users.map((u) => [u.id as string, u.name])), [users]);
  // Stable between renders, so the table's rows re-render only when what they show changes.
  const cellContext = useMemo<CellContext>(
    () => ({
      userName: (id) => (id ? (names.get(id) ?? 'Unknown user') : '—'),
      openLead: (l) => navigate({ screen: 'lead', id: l.id }),
    }),
    [names, navigate],
  );

  // Typing narrows the table as you type; the short wait keeps one query per pause, not per key.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.search === searchText ? f : { ...f, search: searchText })), 120);
    return () => clearTimeout(t);
  }, [searchText]);

  useEffect(() => {
    void client.call('leads.tablePrefs', {}).then((saved) => setLayout(mergeLayout(saved)));
  }, [client]);

  const changeLayout = (next: TableLayout) => {
    setLayout(next);
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void client.call('leads.saveTablePrefs', next), 400);
  };

  const clearSelection = useCallback(() => {
    setSelected(new Set());
    setAllMatching(false);
    anchor.current = null;
  }, []);

  const changeFilter = (f: LeadFilter) => {
    setFilter(f);
    clearSelection();
  };

  const onSort = (field: LeadSortField) => {
    if (field === sort) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setSort(field);
      setDir(field === 'name' || field === 'email' || field === 'stage' || field === 'source' ? 'asc' : 'desc');
    }
  };

  // Shift-click selects the range from the last clicked row; rows off screen are fetched by id.
  const selectRange = async (from: number, to: number) => {
    const ids: LeadId[] = [];
    for (let offset = from; offset <= to; offset += 500) {
      const page = await client.call('leads.query', { ...filter, sort, dir, offset, limit: Math.min(500, to - offset + 1) });
      ids.push(...page.rows.map((r) => r.id));
    }
    setSelected((s) => new Set([...s, ...ids]));
  };

  const selection: SelectionView = {
    isSelected: (id) => allMatching || selected.has(id as LeadId),
    any: allMatching || selected.size > 0,
    toggle(index: number, lead: LeadSummary, range: boolean) {
      setAllMatching(false);
      if (range && anchor.current !== null) {
        void selectRange(Math.min(anchor.current, index), Math.max(anchor.current, index));
      } else {
        setSelected((s) => {
          const next = new Set(allMatching ? [] : s);
          if (next.has(lead.id)) next.delete(lead.id);
          else next.add(lead.id);
          return next;
        });
      }
      anchor.current = index;
    },
    toggleAll(onScreen) {
      if (onScreen.length === 0) clearSelection();
      else setSelected((s) => new Set([...(allMatching ? [] : s), ...onScreen.map((l) => l.id)]));
      setAllMatching(false);
    },
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape' && (selected.size > 0 || allMatching)) clearSelection();
      if (isTyping(document.activeElement)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'n') {
        e.preventDefault();
        setCreating(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected, allMatching, clearSelection]);

  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), 15_000);
    return () => clearTimeout(t);
  }, [undo]);

  const total = pages.total;
  const filtered = filter.search !== '' || facetNames.some((f) => filter[f].length > 0);
  const count = allMatching ? (total ?? 0) : selected.size;
  const target: BulkTarget = allMatching ? { filter } : { ids: [...selected] };
  const applyView = (v: SavedView) => {
    setSearchText(v.filter.search);
    changeFilter(v.filter);
    setSort(v.sort);
    setDir(v.dir);
  };

  return (
    <div className="page page-workspace">
      <PageHeader
        title="Leads"
        subtitle={
          total === null ? ' ' : filtered ? `${number.format(total)} matching` : plural(total, 'lead').replace(/^\d+/, number.format(total))
        }
        actions={
          <Button tone="primary" onClick={() => setCreating(true)} aria-keyshortcuts="n">
            New lead
          </Button>
        }
      />
      {creating ? (
        <div className="card">
          <h2>New lead</h2>
          <LeadForm
            onCancel={() => setCreating(false)}
            onDone={(lead) => {
              setCreating(false);
              navigate({ screen: 'lead', id: lead.id });
            }}
          />
        </div>
      ) : null}
      {undo ? (
        <div className="banner banner-success undo" role="status">
          {plural(undo.count, 'lead')} deleted.
          <Button
            tone="ghost"
            onClick={() => {
              const { batchId } = undo;
              setUndo(null);
              void client.call('leads.restore', { batchId }).catch((err: unknown) => useApp.getState().toast(errorMessage(err), 'error'));
            }}
          >
            Undo
          </Button>
        </div>
      ) : null}
      <div className="workspace">
        <FacetPanel facets={facets.data} filter={filter} onChange={changeFilter} />
        <div className="workspace-main">
          <div className="toolbar">
            <input
              ref={searchRef}
              type="search"
              className="search"
              placeholder="Search name, email, phone  ( / )"
              aria-label="Search leads"
              aria-keyshortcuts="/"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
            />
            <SavedViews filter={filter} sort={sort} dir={dir} onApply={applyView} />
            <ColumnsMenu layout={layout} onLayout={changeLayout} />
            <ExportLeadsButton search={filter.search} />
          </div>
          {count > 0 ? (
            <>
              <BulkBar
                count={count}
                target={target}
                facets={facets.data}
                users={users}
                onDone={clearSelection}
                onDeleted={(batchId, n) => {
                  clearSelection();
                  setUndo({ batchId, count: n });
                }}
              />
              {!allMatching && total !== null && total > selected.size ? (
                <p className="small select-all">
                  <button type="button" className="link-button" onClick={() => setAllMatching(true)}>
                    Select all {number.format(total)} matching
                  </button>{' '}
                  <button type="button" className="link-button" onClick={clearSelection}>
                    Clear selection
                  </button>
                </p>
              ) : null}
            </>
          ) : null}
          <ErrorBanner message={pages.error ?? facets.error} />
          {total === 0 ? (
            filtered ? (
              <EmptyState
                title="No lead matches these filters"
                action={
                  <Button
                    onClick={() => {
                      setSearchText('');
                      changeFilter(emptyFilter);
                    }}
                  >
                    Clear search and filters
                  </Button>
                }
              >
                Try part of a name, an email or the last digits of a phone number, or fewer filters.
              </EmptyState>
            ) : (
              <EmptyState
                title="No leads yet"
                action={
                  <Button tone="primary" onClick={() => setCreating(true)}>
                    Add your first lead
                  </Button>
                }
              >
                Add a lead, then enroll them in an action plan to start the follow-up.
              </EmptyState>
            )
          ) : total === null ? (
            <p className="loading" role="status">
              Loading leads…
            </p>
          ) : (
            <LeadTable
              pages={pages}
              layout={layout}
              onLayout={changeLayout}
              sort={sort}
              dir={dir}
              onSort={onSort}
              selection={selection}
              cellContext={cellContext}
            />
          )}
        </div>
      </div>
    </div>
  );
}

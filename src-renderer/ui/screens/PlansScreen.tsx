import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveState } from '@shared/contract/enrollments-bulk';
import type { PlanSummary } from '@shared/contract/plans';
import type { Plan } from '@shared/model/plan';
import { Modal } from '../components/Modal';
import { ProgressBar } from '../components/ProgressBar';
import { StarterPlansDialog } from '../components/StarterPlansDialog';
import { Badge, Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { fileSlug, downloadText } from '../lib/download';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useRights } from '../lib/rights';
import { useApp, useClient } from '../lib/store';
import { newJobId, useBulkProgress } from '../lib/use-bulk-progress';
import { useEngineQuery } from '../lib/use-engine';

type Level = 'account' | 'personal' | 'locked';
const levelOf = (p: Plan): Level => (p.locked ? 'locked' : p.scope.kind);
const levelBadge: Record<Level, ReactNode> = {
  account: <Badge tone="blue">Account</Badge>,
  personal: <Badge>Personal</Badge>,
  locked: <Badge tone="amber">Locked</Badge>,
};
const STATE_COLUMNS: LiveState[] = ['active', 'paused', 'stopped', 'completed'];
/** Number columns are right-aligned; TanStack's column meta is untyped, so read it defensively. */
const isNum = (meta: unknown): boolean => typeof meta === 'object' && meta !== null && 'num' in meta && meta.num === true;
const enrolledCount = (s: PlanSummary) => s.counts.active + s.counts.paused + s.counts.stopped;

export function PlansScreen() {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const session = useApp((s) => s.session);
  const toast = useApp((s) => s.toast);
  const plans = useEngineQuery('plans.list', {}, ['plans', 'enrollments']);
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [status, setStatus] = useState('');
  const [level, setLevel] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [deleting, setDeleting] = useState<PlanSummary | null>(null);
  const [starters, setStarters] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const rights = useRights();
  const canCreate = rights ? rights.can.createPersonalPlans || rights.can.editAccountPlans : false;
  const newPlan = () => navigate({ screen: 'plan', id: 'new' });

  // "/" focuses search, "n" starts a new plan (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select, dialog');
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'n' && canCreate) {
        e.preventDefault();
        navigate({ screen: 'plan', id: 'new' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canCreate, navigate]);

  async function duplicate(plan: Plan) {
    try {
      const copy = await client.call('plans.duplicate', { id: plan.id });
      toast(`Duplicated as “${copy.name}” (draft)`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  function exportPlan(plan: Plan) {
    // The full plan-file format (templates, tags, stages) comes with the exchange issue; this is the plan itself.
    downloadText(`${fileSlug(plan.name)}.plan.json`, JSON.stringify({ format: 'action-plans.plan', version: 1, plans: [plan] }, null, 2));
    toast(`Exported “${plan.name}”`, 'success');
  }

  const columns = useMemo<ColumnDef<PlanSummary>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        accessorFn: (s) => s.plan.name,
        cell: ({ row }) => (
          <a
            href={`#plan-${row.original.plan.id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate({ screen: 'plan', id: row.original.plan.id });
            }}
          >
            {row.original.plan.name}
          </a>
        ),
      },
      { id: 'level', header: 'Level', accessorFn: (s) => levelOf(s.plan), cell: ({ getValue }) => levelBadge[getValue<Level>()] },
      { id: 'type', header: 'Type', accessorFn: (s) => (s.plan.type === 'fullyAutomated' ? 'Automated' : 'Traditional') },
      {
        id: 'category',
        header: 'Category',
        accessorFn: (s) => s.plan.category,
        cell: ({ getValue }) => <span className="cap">{getValue<string>()}</span>,
      },
      {
        id: 'status',
        header: 'Status',
        accessorFn: (s) => s.plan.status,
        cell: ({ getValue }) => (getValue() === 'ready' ? <Badge tone="green">Ready</Badge> : <Badge tone="amber">Draft</Badge>),
      },
      { id: 'steps', header: 'Steps', accessorFn: (s) => s.plan.steps.length, meta: { num: true } },
      ...STATE_COLUMNS.map((state): ColumnDef<PlanSummary> => ({
        id: state,
        header: state[0]!.toUpperCase() + state.slice(1),
        accessorFn: (s) => s.counts[state],
        meta: { num: true },
        cell: ({ row, getValue }) => {
          const n = getValue<number>();
          return (
            <button
              type="button"
              className={`count${n ? '' : ' count-zero'}`}
              aria-label={`${plural(n, `${state} lead`)} in ${row.original.plan.name}`}
              onClick={() => navigate({ screen: 'planLeads', id: row.original.plan.id, state })}
            >
              {n}
            </button>
          );
        },
      })),
      { id: 'engaged', header: 'Engaged', accessorFn: (s) => s.counts.engaged, meta: { num: true } },
      {
        id: 'actions',
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => {
          const p = row.original.plan;
          return (
            <div className="row-actions">
              {canCreate ? (
                <Button tone="ghost" aria-label={`Duplicate ${p.name}`} title="Duplicate" onClick={() => void duplicate(p)}>
                  ❐
                </Button>
              ) : null}
              <Button tone="ghost" aria-label={`Export ${p.name}`} title="Export .plan.json" onClick={() => exportPlan(p)}>
                ⤓
              </Button>
              {p.locked && p.createdBy !== session?.currentUser.id ? null : (
                <Button tone="ghost" aria-label={`Delete ${p.name}`} title="Delete" onClick={() => setDeleting(row.original)}>
                  ✕
                </Button>
              )}
            </div>
          );
        },
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [navigate, canCreate, session],
  );

  const data = useMemo(
    () =>
      (plans.data ?? []).filter(
        (s) =>
          (!category || s.plan.category === category) && (!status || s.plan.status === status) && (!level || levelOf(s.plan) === level),
      ),
    [plans.data, category, status, level],
  );
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter: search },
    onSortingChange: setSorting,
    onGlobalFilterChange: setSearch,
    globalFilterFn: (row, _col, value: string) => row.original.plan.name.toLowerCase().includes(value.toLowerCase()),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  const total = plans.data?.length ?? 0;
  const shown = table.getRowModel().rows;
  return (
    <div className="page page-wide">
      <PageHeader
        title="Action plans"
        subtitle={
          plans.data
            ? `${plural(total, 'plan')} · ${plural(
                plans.data.reduce((n, s) => n + enrolledCount(s), 0),
                'lead',
              )} enrolled`
            : ' '
        }
        actions={
          canCreate ? (
            <>
              <Button onClick={() => setStarters(true)}>Import starter plan</Button>
              <Button tone="primary" onClick={newPlan} title="Shortcut: N">
                New plan
              </Button>
            </>
          ) : rights ? (
            <p className="small muted">
              {session?.currentUser.role === 'lender'
                ? 'Lenders use the account plans managers build; only managers and agents create plans.'
                : 'Only managers create account plans, and personal plans are off: the primary manager can turn on “Allow users to create personal action plans”.'}
            </p>
          ) : null
        }
      />
      <ErrorBanner message={plans.error} />
      {plans.data && total === 0 ? (
        <EmptyState
          title="No action plans yet"
          action={
            canCreate ? (
              <div className="row-actions center">
                <Button tone="primary" onClick={newPlan}>
                  Build your first plan
                </Button>
                <Button onClick={() => setStarters(true)}>Start from a starter plan</Button>
              </div>
            ) : null
          }
        >
          A plan is a sequence of emails, texts, tasks and other steps that run by themselves for every lead you enroll.
        </EmptyState>
      ) : (
        <>
          <div className="toolbar" role="search">
            <input
              ref={searchRef}
              className="search"
              type="search"
              aria-label="Search plans"
              placeholder="Search plans  ( / )"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <select aria-label="Filter by category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">All categories</option>
              {['connection', 'conversion', 'retention', 'event', 'seasonal'].map((c) => (
                <option key={c} value={c}>
                  {c[0]!.toUpperCase() + c.slice(1)}
                </option>
              ))}
            </select>
            <select aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              <option value="ready">Ready</option>
              <option value="draft">Draft</option>
            </select>
            <select aria-label="Filter by level" value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">Any level</option>
              <option value="account">Account</option>
              <option value="personal">Personal</option>
              <option value="locked">Locked</option>
            </select>
          </div>
          <div className="table-scroll">
            <table className="table plans-table" aria-label="Action plans">
              <thead>
                {table.getHeaderGroups().map((hg) => (
                  <tr key={hg.id}>
                    {hg.headers.map((h) => {
                      const sorted = h.column.getIsSorted();
                      const num = isNum(h.column.columnDef.meta);
                      return (
                        <th
                          key={h.id}
                          scope="col"
                          className={num ? 'num' : undefined}
                          aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                        >
                          {h.column.getCanSort() ? (
                            <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                              {flexRender(h.column.columnDef.header, h.getContext())}
                              <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                            </button>
                          ) : (
                            flexRender(h.column.columnDef.header, h.getContext())
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr key={row.id}>
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className={isNum(cell.column.columnDef.meta) ? 'num' : undefined}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {plans.data && shown.length === 0 ? <p className="muted center">No plans match these filters.</p> : null}
        </>
      )}
      <DeletePlanDialog summary={deleting} onClose={() => setDeleting(null)} />
      <StarterPlansDialog open={starters} onClose={() => setStarters(false)} />
    </div>
  );
}

/** Delete, refused while leads are enrolled: says how many and offers to remove them all first. */
function DeletePlanDialog({ summary, onClose }: { summary: PlanSummary | null; onClose: () => void }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const progress = useBulkProgress(jobId);
  const close = () => {
    setJobId(null);
    setError(null);
    onClose();
  };
  const plans = useEngineQuery('plans.list', {}, ['plans', 'enrollments']);
  const live = summary ? (plans.data?.find((s) => s.plan.id === summary.plan.id) ?? summary) : null;
  const enrolled = live ? enrolledCount(live) : 0;

  async function removeAll() {
    if (!live) return;
    const job = newJobId();
    setJobId(job);
    setBusy(true);
    try {
      const r = await client.call('enrollments.removeAllFromPlan', { planId: live.plan.id, jobId: job });
      if (r.refused.length) setError(`${plural(r.refused.length, 'lead')} could not be removed: ${r.refused[0]?.reason ?? ''}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  async function remove() {
    if (!live) return;
    try {
      await client.call('plans.delete', { id: live.plan.id });
      toast(`Deleted “${live.plan.name}”`, 'success');
      close();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Modal open={summary !== null} title={live ? `Delete “${live.plan.name}”?` : 'Delete plan'} onClose={close}>
      {live && enrolled > 0 ? (
        <p>
          {plural(enrolled, 'lead')} {enrolled === 1 ? 'is' : 'are'} still in this plan ({live.counts.active} active, {live.counts.paused}{' '}
          paused, {live.counts.stopped} stopped). A plan with enrolled leads cannot be deleted: remove them first. Their history is kept.
        </p>
      ) : (
        <p>The plan and its steps are deleted for good. Leads who completed it keep their history.</p>
      )}
      {busy && progress ? <ProgressBar done={progress.done} total={progress.total} label="Removing leads" /> : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <Button onClick={close}>Cancel</Button>
        {enrolled > 0 ? (
          <Button tone="danger" disabled={busy} onClick={() => void removeAll()}>
            Remove all {plural(enrolled, 'lead')}
          </Button>
        ) : (
          <Button tone="danger" onClick={() => void remove()}>
            Delete plan
          </Button>
        )}
      </div>
    </Modal>
  );
}

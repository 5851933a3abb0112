import { useState } from 'react';
import type { EnrollmentAction } from '@shared/contract/enrollments';
import type { BulkResult, LiveState } from '@shared/contract/enrollments-bulk';
import type { EnrollmentId, PlanId } from '@shared/model/ids';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProgressBar } from '../components/ProgressBar';
import { Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { newJobId, useBulkProgress } from '../lib/use-bulk-progress';
import { useEngineQuery } from '../lib/use-engine';
import { PlanLeadTable } from './plan-leads/PlanLeadTable';
import { usePlanLeadPages } from './plan-leads/use-plan-lead-pages';

/** Exactly the seed's bulk actions per state (DESIGN §3). */
const ACTIONS: Record<LiveState, EnrollmentAction[]> = {
  active: ['pause', 'stop', 'remove'],
  paused: ['resume', 'remove'],
  stopped: ['restart', 'remove'],
  completed: ['restart'],
};
const LABEL: Record<EnrollmentAction, string> = { pause: 'Pause', resume: 'Resume', stop: 'Stop', restart: 'Restart', remove: 'Remove' };
const CONFIRM: Partial<Record<EnrollmentAction, string>> = {
  stop: 'Stopped leads get no more steps from this plan until restarted from step one.',
  remove: 'Removed leads leave the plan; their history is kept.',
  restart: 'Restarted leads begin again at step one: they will receive every step again.',
};
const STATES: LiveState[] = ['active', 'paused', 'stopped', 'completed'];

export function PlanLeadsScreen({ id, state }: { id: PlanId; state: LiveState }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const toast = useApp((s) => s.toast);
  // The tab counts follow a running bulk action once a second, not after every lead (see usePlanLeadPages).
  const summaries = useEngineQuery('plans.list', {}, ['plans', 'enrollments'], { throttleMs: 1_000 });
  const pages = usePlanLeadPages(id, state);
  const [selected, setSelected] = useState<Set<EnrollmentId>>(new Set());
  const [selectingAll, setSelectingAll] = useState(false);
  const [pending, setPending] = useState<EnrollmentAction | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<{ action: EnrollmentAction; r: BulkResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useBulkProgress(jobId);
  const summary = summaries.data?.find((s) => s.plan.id === id);
  const total = pages.total ?? 0;
  const chosen = [...selected];
  const allChosen = total > 0 && selected.size >= total;

  async function run(action: EnrollmentAction) {
    setPending(null);
    const job = newJobId();
    setJobId(job);
    setResult(null);
    try {
      const r = await client.call('enrollments.bulkApply', { ids: chosen, action, jobId: job });
      setResult({ action, r });
      setSelected(new Set());
      if (!r.refused.length) toast(`${LABEL[action]}: ${plural(r.done, 'lead')}`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setJobId(null);
    }
  }
  const ask = (action: EnrollmentAction) => (CONFIRM[action] ? setPending(action) : void run(action));
  const toggle = (rid: EnrollmentId) => {
    const next = new Set(selected);
    if (next.has(rid)) next.delete(rid);
    else next.add(rid);
    setSelected(next);
  };
  // "Select all" means every lead in this state, also the rows not scrolled to yet: their ids come from the engine.
  // The box shows checked at once (`selectingAll`) while they arrive.
  const toggleAll = () => {
    if (allChosen || selected.size > 0 || selectingAll) return setSelected(new Set());
    setSelectingAll(true);
    client
      .call('enrollments.idsByPlanState', { planId: id, state })
      .then(
        ({ ids }) => setSelected(new Set(ids)),
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => setSelectingAll(false));
  };
  return (
    <div className="page page-wide">
      <PageHeader
        title={summary ? `${summary.plan.name}` : 'Plan leads'}
        subtitle={`Leads ${state} in this plan`}
        actions={
          <>
            <Button onClick={() => navigate({ screen: 'plans' })}>All plans</Button>
            <Button onClick={() => navigate({ screen: 'plan', id })}>Open plan</Button>
          </>
        }
      />
      <nav className="tabs" aria-label="Lead states">
        {STATES.map((s) => (
          <button
            key={s}
            type="button"
            className="tab"
            aria-current={s === state ? 'page' : undefined}
            onClick={() => {
              setSelected(new Set());
              setResult(null);
              navigate({ screen: 'planLeads', id, state: s });
            }}
          >
            <span className="cap">{s}</span>
            <span className="tab-count">{summary?.counts[s] ?? '…'}</span>
          </button>
        ))}
      </nav>
      <ErrorBanner message={pages.error ?? error} />
      {result ? (
        <div className={`banner ${result.r.refused.length ? 'banner-warn' : 'banner-success'}`} role="status">
          <strong>
            {LABEL[result.action]}: {result.r.done} of {plural(result.r.total, 'lead')} done
            {result.r.refused.length ? `, ${result.r.refused.length} refused` : ''}.
          </strong>
          {result.r.refused.length ? (
            <ul className="small">
              {result.r.refused.slice(0, 5).map((x) => (
                <li key={x.id}>{x.reason}</li>
              ))}
              {result.r.refused.length > 5 ? <li>…and {result.r.refused.length - 5} more</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      {jobId && progress ? <ProgressBar done={progress.done} total={progress.total} label="Applying to selected leads" /> : null}
      <div className="toolbar bulk-bar" role="toolbar" aria-label="Bulk actions">
        <span className="muted">{chosen.length ? `${plural(chosen.length, 'lead')} selected` : 'Select leads to act on them'}</span>
        {ACTIONS[state].map((a) => (
          <Button
            key={a}
            tone={a === 'remove' || a === 'stop' ? 'danger' : 'secondary'}
            disabled={!chosen.length || jobId !== null}
            onClick={() => ask(a)}
          >
            {LABEL[a]}
          </Button>
        ))}
      </div>
      {pages.total === 0 ? (
        <EmptyState title={`No ${state} leads`}>
          {state === 'active'
            ? 'Enroll leads from a lead’s page; they appear here while the plan runs for them.'
            : `Leads appear here when they are ${state} in this plan.`}
        </EmptyState>
      ) : pages.total === null ? (
        <p className="loading" role="status">
          Loading leads…
        </p>
      ) : (
        <PlanLeadTable
          state={state}
          pages={pages}
          isSelected={(rid) => selected.has(rid)}
          allSelected={allChosen || selectingAll}
          someSelected={selected.size > 0}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onOpenLead={(leadId) => navigate({ screen: 'lead', id: leadId })}
        />
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending ? `${LABEL[pending]} ${plural(chosen.length, 'lead')}?` : ''}
        body={pending ? (CONFIRM[pending] ?? '') : ''}
        confirmLabel={pending ? `${LABEL[pending]} ${plural(chosen.length, 'lead')}` : ''}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && void run(pending)}
      />
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { PlanId } from '@shared/model/ids';
import type { PlanInput, StepInput, StepKind } from '@shared/model/plan';
import { AppError } from '@shared/rpc/errors';
import { EditEffectDialog } from '../builder/EditEffectDialog';
import { KindPicker } from '../builder/KindPicker';
import { issuesByPath } from '../builder/env';
import type { BuilderEnv } from '../builder/env';
import { kindInfo, newStep } from '../builder/kinds';
import { PlanSettings } from '../builder/PlanSettings';
import { StepList } from '../builder/StepList';
import { TimelinePreview } from '../builder/TimelinePreview';
import { PlanScopeBar, usePlanEditable } from '../components/PlanScopeBar';
import { Badge, Button, ErrorBanner, Field, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

type Tab = 'steps' | 'settings' | 'timeline';
const TABS: { id: Tab; label: string }[] = [
  { id: 'steps', label: 'Steps' },
  { id: 'settings', label: 'Settings' },
  { id: 'timeline', label: 'Timeline preview' },
];

function blankPlan(ownerUserId: string): PlanInput {
  return {
    name: '',
    scope: { kind: 'personal', ownerUserId },
    type: 'fullyAutomated',
    category: 'connection',
    status: 'draft',
    steps: [newStep('email', { kind: 'immediate' }, ownerUserId as never)],
  };
}

export function PlanBuilder({ id }: { id: PlanId | 'new' }) {
  const client = useClient();
  const session = useApp((s) => s.session);
  const navigate = useApp((s) => s.navigate);
  const toast = useApp((s) => s.toast);
  const setLeaveGuard = useApp((s) => s.setLeaveGuard);
  const existing = useEngineQuery('plans.get', { id: id === 'new' ? 'none' : id }, []);
  const summaries = useEngineQuery('plans.list', {}, ['plans', 'enrollments']);
  const leads = useEngineQuery('leads.list', { limit: 100 }, ['leads']);
  const templates = useEngineQuery('templates.list', {}, ['templates']);
  // `edited` holds the user's version; until the first edit the builder shows what is stored.
  const [edited, setPlan] = useState<PlanInput | null>(id === 'new' && session ? blankPlan(session.currentUser.id) : null);
  const plan = edited ?? (id === 'new' ? null : (existing.data ?? null));
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('steps');
  const [undo, setUndo] = useState<{ step: StepInput; index: number } | null>(null);
  const editable = usePlanEditable(plan);
  const [confirmSave, setConfirmSave] = useState<PlanInput['status'] | null>(null);

  useEffect(() => {
    setLeaveGuard(dirty ? () => window.confirm('You have unsaved changes to this plan. Leave without saving?') : null);
    return () => setLeaveGuard(null);
  }, [dirty, setLeaveGuard]);

  if (id !== 'new' && existing.error && !plan) return <ErrorBanner message={existing.error} />;
  if (!plan || !session) return <p className="loading">Loading plan…</p>;

  const user = session.currentUser;
  const readOnly = !editable;
  const summary = summaries.data?.find((s) => s.plan.id === id);
  const enrolled = summary ? summary.counts.active + summary.counts.paused + summary.counts.stopped : 0;
  const env: BuilderEnv = {
    leads: leads.data?.rows ?? [],
    plans: (summaries.data ?? []).map((s) => s.plan).filter((p) => p.id !== id),
    users: session.users,
    templates: templates.data ?? [],
    issues,
    readOnly,
  };

  const update = (patch: Partial<PlanInput>) => {
    if (readOnly) return;
    setPlan({ ...plan, ...patch });
    setDirty(true);
  };
  const lastDelay = plan.steps.length ? ({ kind: 'after', amount: 2, unit: 'days' } as const) : ({ kind: 'immediate' } as const);
  const addStep = (kind: StepKind) => {
    update({ steps: [...plan.steps, newStep(kind, kind === 'email' || kind === 'sms' ? lastDelay : { kind: 'immediate' }, user.id)] });
    setTab('steps');
  };
  const deleteStep = (index: number) => {
    const step = plan.steps[index];
    if (!step) return;
    update({ steps: plan.steps.filter((_, j) => j !== index) });
    setUndo({ step, index });
    setIssues({});
  };
  const undoDelete = () => {
    if (!undo) return;
    const steps = [...plan.steps];
    steps.splice(undo.index, 0, undo.step);
    update({ steps });
    setUndo(null);
  };

  async function doSave(status: PlanInput['status']) {
    if (!plan) return;
    const toSave = { ...plan, status };
    try {
      const saved = id === 'new' ? await client.call('plans.create', toSave) : await client.call('plans.update', { id, plan: toSave });
      setDirty(false);
      setLeaveGuard(null);
      setIssues({});
      setError(null);
      setUndo(null);
      setPlan(saved);
      toast(`Plan “${saved.name}” saved${saved.status === 'ready' ? ' — Ready to enroll leads' : ' as draft'}`, 'success');
      if (id === 'new') useApp.setState({ route: { screen: 'plan', id: saved.id }, leaveGuard: null });
    } catch (err) {
      const byPath = issuesByPath(err instanceof AppError ? (err.details?.issues ?? []) : []);
      setIssues(byPath);
      setError(errorMessage(err));
      if (Object.keys(byPath).some((p) => p.startsWith('steps'))) setTab('steps');
      else if (Object.keys(byPath).some((p) => p !== 'name')) setTab('settings');
    }
  }
  const save = (status: PlanInput['status'] = plan.status) => {
    if (readOnly) return;
    // A plan with leads in it changes for them too: say how many before saving.
    if (enrolled > 0 && dirty) setConfirmSave(status ?? 'draft');
    else void doSave(status);
  };

  const issueCount = (t: Tab) =>
    Object.keys(issues).filter((p) =>
      t === 'steps' ? p.startsWith('steps') : t === 'settings' ? !p.startsWith('steps') && p !== 'name' : false,
    ).length;

  return (
    <div
      className="page page-wide"
      onKeyDown={(e) => {
        // Ctrl+S / Cmd+S saves with the current status.
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          save();
        }
      }}
    >
      <PageHeader
        title={id === 'new' ? 'New plan' : plan.name || 'Untitled plan'}
        subtitle={
          <span className="header-badges">
            {plan.status === 'ready' ? <Badge tone="green">Ready</Badge> : <Badge tone="amber">Draft — never runs</Badge>}
            {readOnly ? <Badge tone="blue">View only</Badge> : null}
            {enrolled > 0 ? <span className="small muted">{plural(enrolled, 'lead')} enrolled</span> : null}
            {dirty ? <span className="small muted">Unsaved changes</span> : null}
          </span>
        }
        actions={
          <>
            <Button onClick={() => navigate({ screen: 'plans' })}>All plans</Button>
            {readOnly ? null : (
              <>
                <Button onClick={() => save('draft')} title="Ctrl+S saves with the current status">
                  Save draft
                </Button>
                <Button tone="primary" onClick={() => save('ready')}>
                  Save as Ready
                </Button>
              </>
            )}
          </>
        }
      />
      <ErrorBanner message={error} />
      <PlanScopeBar id={id} plan={plan} onScope={(scope) => update({ scope })} />
      {readOnly && plan.locked ? (
        <p className="banner banner-info">
          This plan is locked by its owner. You can view every step but not change it; duplicate it to make your own version.
        </p>
      ) : null}
      <section className="card plan-name-card">
        <fieldset disabled={readOnly}>
          <Field label="Plan name" error={issues.name}>
            {(p) => (
              <input
                {...p}
                className="input-lg"
                value={plan.name}
                placeholder="e.g. New buyer lead — 14 days"
                onChange={(e) => update({ name: e.target.value })}
              />
            )}
          </Field>
        </fieldset>
      </section>
      <div className="tabs" role="tablist" aria-label="Plan sections">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!by) return;
              const next = TABS[(i + by + TABS.length) % TABS.length]!;
              setTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {t.label}
            {t.id === 'steps' ? <span className="tab-count">{plan.steps.length}</span> : null}
            {issueCount(t.id) ? (
              <span className="tab-issues" aria-label={`${issueCount(t.id)} problems`}>
                !
              </span>
            ) : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'steps' ? (
          <>
            {issues.steps ? (
              <p className="banner banner-error" role="alert">
                {issues.steps}
              </p>
            ) : null}
            {undo ? (
              <div className="banner banner-info undo-bar" role="status">
                <span>
                  Deleted step {undo.index + 1} ({kindInfo(undo.step.kind).label}).
                </span>
                <Button tone="ghost" onClick={undoDelete}>
                  Undo
                </Button>
              </div>
            ) : null}
            {plan.steps.length === 0 ? (
              <div className="empty">
                <h3>No steps yet</h3>
                <p>Start with a welcome email that goes out the moment a lead is enrolled, then add follow-ups a few days apart.</p>
              </div>
            ) : (
              <StepList steps={plan.steps} env={env} onChange={(steps) => update({ steps })} onDelete={deleteStep} />
            )}
            {readOnly ? null : (
              <div className="add-steps">
                <Button tone="primary" onClick={() => addStep('email')}>
                  + Add email step
                </Button>
                <KindPicker onPick={addStep} />
              </div>
            )}
          </>
        ) : null}
        {tab === 'settings' ? (
          <fieldset disabled={readOnly} className="plain">
            <PlanSettings plan={plan} update={update} otherPlans={env.plans} issues={issues} />
          </fieldset>
        ) : null}
        {tab === 'timeline' ? <TimelinePreview plan={plan} env={env} /> : null}
      </div>
      {id !== 'new' ? (
        <EditEffectDialog
          open={confirmSave !== null}
          id={id}
          plan={{ ...plan, status: confirmSave ?? plan.status }}
          enrolled={enrolled}
          onCancel={() => setConfirmSave(null)}
          onConfirm={() => {
            const status = confirmSave ?? 'draft';
            setConfirmSave(null);
            void doSave(status);
          }}
        />
      ) : null}
    </div>
  );
}

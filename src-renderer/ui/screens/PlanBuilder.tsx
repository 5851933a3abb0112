import { useEffect, useRef, useState } from 'react';
import { MERGE_FIELDS } from '@shared/merge-fields';
import type { PlanId, StepId } from '@shared/model/ids';
import type { PlanInput, StepInput, TimingInput as Timing } from '@shared/model/plan';
import { PlanScopeBar, usePlanEditable } from '../components/PlanScopeBar';
import { Badge, Button, ErrorBanner, Field, PageHeader } from '../components/ui';
import { errorMessage, fieldIssues } from '../lib/errors';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

type EmailStep = Extract<StepInput, { kind: 'email' }>;

const newStepId = () => crypto.randomUUID() as StepId;

function emailStep(timing: Timing): EmailStep {
  return { id: newStepId(), kind: 'email', name: '', subject: '', body: '', timing, notifyMe: false, review: { mode: 'none' } };
}

function blankPlan(ownerUserId: string): PlanInput {
  return {
    name: '',
    scope: { kind: 'personal', ownerUserId: ownerUserId },
    type: 'fullyAutomated',
    category: 'connection',
    status: 'draft',
    steps: [emailStep({ kind: 'immediate' })],
  };
}

export function PlanBuilder({ id }: { id: PlanId | 'new' }) {
  const client = useClient();
  const session = useApp((s) => s.session);
  const navigate = useApp((s) => s.navigate);
  const toast = useApp((s) => s.toast);
  const setLeaveGuard = useApp((s) => s.setLeaveGuard);
  const existing = useEngineQuery('plans.get', { id: id === 'new' ? 'none' : id }, []);
  // `edited` holds the user's version; until the first edit the builder shows what is stored.
  const [edited, setPlan] = useState<PlanInput | null>(id === 'new' && session ? blankPlan(session.currentUser.id) : null);
  const plan = edited ?? (id === 'new' ? null : (existing.data ?? null));
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const editable = usePlanEditable(plan);

  useEffect(() => {
    setLeaveGuard(dirty ? () => window.confirm('You have unsaved changes to this plan. Leave without saving?') : null);
    return () => setLeaveGuard(null);
  }, [dirty, setLeaveGuard]);

  if (id !== 'new' && existing.error && !plan) return <ErrorBanner message={existing.error} />;
  if (!plan) return <p className="loading">Loading plan…</p>;

  const update = (patch: Partial<PlanInput>) => {
    setPlan({ ...plan, ...patch });
    setDirty(true);
  };
  const updateStep = (i: number, patch: Partial<EmailStep>) =>
    update({ steps: plan.steps.map((s, j) => (j === i ? ({ ...s, ...patch } as StepInput) : s)) });
  const moveStep = (i: number, by: -1 | 1) => {
    const steps = [...plan.steps];
    const [s] = steps.splice(i, 1);
    if (!s) return;
    steps.splice(i + by, 0, s);
    update({ steps });
  };

  async function save(status = plan?.status) {
    if (!plan) return;
    const toSave = { ...plan, status };
    try {
      const saved = id === 'new' ? await client.call('plans.create', toSave) : await client.call('plans.update', { id, plan: toSave });
      setDirty(false);
      setLeaveGuard(null);
      setIssues({});
      setError(null);
      setPlan(saved);
      toast(`Plan “${saved.name}” saved${saved.status === 'ready' ? ' — Ready to enroll leads' : ' as draft'}`, 'success');
      if (id === 'new') useApp.setState({ route: { screen: 'plan', id: saved.id }, leaveGuard: null });
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={id === 'new' ? 'New plan' : plan.name || 'Untitled plan'}
        subtitle={plan.status === 'ready' ? <Badge tone="green">Ready</Badge> : <Badge tone="amber">Draft — never runs</Badge>}
        actions={
          <>
            <Button onClick={() => navigate({ screen: 'plans' })}>All plans</Button>
            {editable ? (
              <>
                <Button onClick={() => void save('draft')}>Save draft</Button>
                <Button tone="primary" onClick={() => void save('ready')}>
                  Save as Ready
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <ErrorBanner message={error} />
      <PlanScopeBar id={id} plan={plan} onScope={(scope) => update({ scope })} />
      {/* A plan the user cannot edit (locked, or someone else's to manage) is shown step by step, read-only. */}
      <fieldset className="plain-fieldset" disabled={!editable}>
        <section className="card" aria-label="Plan settings">
          <div className="form-row">
            <Field label="Plan name" error={issues.name}>
              {(p) => (
                <input
                  {...p}
                  value={plan.name}
                  placeholder="e.g. New buyer lead — 14 days"
                  onChange={(e) => update({ name: e.target.value })}
                />
              )}
            </Field>
            <Field label="Category">
              {(p) => (
                <select {...p} value={plan.category} onChange={(e) => update({ category: e.target.value as PlanInput['category'] })}>
                  <option value="connection">Connection</option>
                  <option value="conversion">Conversion</option>
                  <option value="retention">Retention</option>
                  <option value="event">Event</option>
                  <option value="seasonal">Seasonal</option>
                </select>
              )}
            </Field>
          </div>
        </section>
        <h2 className="section-title">Steps</h2>
        <ol className="steps">
          {plan.steps.map((step, i) =>
            step.kind === 'email' ? (
              <li key={step.id} className="card step" aria-label={`Step ${i + 1}`}>
                <div className="step-head">
                  <span className="step-num">{i + 1}</span>
                  <strong>Email</strong>
                  <TimingEditor timing={step.timing} onChange={(timing) => updateStep(i, { timing })} />
                  <div className="row-actions">
                    <Button tone="ghost" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => moveStep(i, -1)}>
                      ↑
                    </Button>
                    <Button
                      tone="ghost"
                      aria-label={`Move step ${i + 1} down`}
                      disabled={i === plan.steps.length - 1}
                      onClick={() => moveStep(i, 1)}
                    >
                      ↓
                    </Button>
                    <Button
                      tone="ghost"
                      aria-label={`Delete step ${i + 1}`}
                      onClick={() => update({ steps: plan.steps.filter((_, j) => j !== i) })}
                    >
                      Delete
                    </Button>
                  </div>
                </div>
                <EmailEditor step={step} index={i} issues={issues} onChange={(patch) => updateStep(i, patch)} />
              </li>
            ) : null,
          )}
        </ol>
        <Button onClick={() => update({ steps: [...plan.steps, emailStep({ kind: 'after', amount: 2, unit: 'days' })] })}>
          + Add email step
        </Button>
      </fieldset>
    </div>
  );
}

function TimingEditor({ timing, onChange }: { timing: Timing; onChange: (t: Timing) => void }) {
  const after = timing.kind === 'after' ? timing : null;
  return (
    <div className="timing" role="group" aria-label="When">
      <select
        aria-label="When"
        value={timing.kind === 'immediate' ? 'immediate' : 'after'}
        onChange={(e) => onChange(e.target.value === 'immediate' ? { kind: 'immediate' } : { kind: 'after', amount: 1, unit: 'days' })}
      >
        <option value="immediate">Immediately on enrollment</option>
        <option value="after">After a delay</option>
      </select>
      {after ? (
        <>
          <input
            aria-label="Delay amount"
            type="number"
            min={0}
            className="num-input"
            value={after.amount}
            onChange={(e) => onChange({ ...after, amount: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
          />
          <select
            aria-label="Delay unit"
            value={after.unit}
            onChange={(e) => onChange({ ...after, unit: e.target.value as typeof after.unit })}
          >
            <option value="minutes">minutes</option>
            <option value="hours">hours</option>
            <option value="days">days</option>
            <option value="weeks">weeks</option>
          </select>
          <span className="muted">after enrollment</span>
        </>
      ) : null}
    </div>
  );
}

function EmailEditor({
  step,
  index,
  issues,
  onChange,
}: {
  step: EmailStep;
  index: number;
  issues: Record<string, string>;
  onChange: (patch: Partial<EmailStep>) => void;
}) {
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const insert = (token: string) => {
    const el = bodyRef.current;
    const text = `{{${token}}}`;
    const at = el?.selectionStart ?? step.body.length;
    onChange({ body: step.body.slice(0, at) + text + step.body.slice(el?.selectionEnd ?? at) });
  };
  return (
    <div className="stack">
      <Field label="Subject" error={issues[`steps.${index}.subject`]}>
        {(p) => (
          <input
            {...p}
            value={step.subject}
            placeholder="e.g. Welcome, {{lead.firstName}}!"
            onChange={(e) => onChange({ subject: e.target.value })}
          />
        )}
      </Field>
      <Field label="Message" error={issues[`steps.${index}.body`]} hint="Plain text. Merge fields are filled in for each lead.">
        {(p) => <textarea {...p} ref={bodyRef} rows={6} value={step.body} onChange={(e) => onChange({ body: e.target.value })} />}
      </Field>
      <div className="merge-fields" role="group" aria-label="Insert merge field">
        <span className="muted small">Insert:</span>
        {MERGE_FIELDS.map((f) => (
          <button key={f.token} type="button" className="chip" onClick={() => insert(f.token)} title={`{{${f.token}}}`}>
            {f.label}
          </button>
        ))}
      </div>
    </div>
  );
}

import type { StepInput } from '@shared/model/plan';
import { Field } from '../components/ui';
import type { BuilderEnv } from './env';
import { MessageEditor } from './MessageEditor';
import { WebhookEditor } from './WebhookEditor';

const ROLES = [
  ['buyerAgent', 'Buyer agent'],
  ['listingAgent', 'Listing agent'],
  ['lender', 'Lender'],
] as const;

const splitList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The kind-specific part of a step; each kind's fields come from its schema in src-shared/model/plan.ts. */
export function StepEditor({
  step,
  index,
  env,
  onChange,
}: {
  step: StepInput;
  index: number;
  env: BuilderEnv;
  onChange: (patch: Partial<StepInput>) => void;
}) {
  const at = `steps.${index}`;
  const issue = (field: string) => env.issues[`${at}.${field}`];
  const set = (patch: Record<string, unknown>) => onChange(patch);
  switch (step.kind) {
    case 'email':
    case 'sms':
      return <MessageEditor step={step} index={index} env={env} onChange={set} />;
    case 'webhook':
      return <WebhookEditor step={step} index={index} env={env} onChange={set} />;
    case 'task':
    case 'automatedCall':
      return (
        <div className="stack">
          <Field label={step.kind === 'task' ? 'Task title' : 'Call task title'} error={issue('title')}>
            {(p) => (
              <input
                {...p}
                value={step.title}
                placeholder="e.g. Call {{lead.firstName}} about showings"
                onChange={(e) => set({ title: e.target.value })}
              />
            )}
          </Field>
          <Field label={step.kind === 'task' ? 'Notes' : 'Call script'}>
            {(p) => (
              <textarea
                {...p}
                rows={3}
                value={step.kind === 'task' ? (step.notes ?? '') : (step.script ?? '')}
                onChange={(e) => set(step.kind === 'task' ? { notes: e.target.value } : { script: e.target.value })}
              />
            )}
          </Field>
        </div>
      );
    case 'addTags':
    case 'removeTags':
      return (
        <Field label="Tags" hint="Separate tags with commas, e.g. hot buyer, pre-approved" error={issue('tags')}>
          {(p) => <input {...p} defaultValue={step.tags.join(', ')} onChange={(e) => set({ tags: splitList(e.target.value) })} />}
        </Field>
      );
    case 'changeStage':
      return (
        <Field label="New stage" error={issue('stage')}>
          {(p) => <input {...p} value={step.stage} placeholder="e.g. Nurture" onChange={(e) => set({ stage: e.target.value })} />}
        </Field>
      );
    case 'changeContactType':
      return (
        <Field label="Contact type" error={issue('contactType')}>
          {(p) => <input {...p} value={step.contactType} placeholder="e.g. Buyer" onChange={(e) => set({ contactType: e.target.value })} />}
        </Field>
      );
    case 'addNote':
      return (
        <Field label="Note" error={issue('note')}>
          {(p) => <textarea {...p} rows={3} value={step.note} onChange={(e) => set({ note: e.target.value })} />}
        </Field>
      );
    case 'assignUser':
    case 'unassignUser':
      return (
        <div className="form-row">
          <Field label="Role on the lead">
            {(p) => (
              <select {...p} value={step.role} onChange={(e) => set({ role: e.target.value })}>
                {ROLES.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {step.kind === 'assignUser' ? (
            <Field label="User" error={issue('userId')}>
              {(p) => (
                <select {...p} value={step.userId} onChange={(e) => set({ userId: e.target.value })}>
                  {env.users.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
        </div>
      );
    case 'assignPlan':
    case 'pausePlan':
      return (
        <Field label={step.kind === 'assignPlan' ? 'Plan to start' : 'Plan to pause'} error={issue('planId')}>
          {(p) => (
            <select {...p} value={step.planId} onChange={(e) => set({ planId: e.target.value })}>
              <option value="">— Pick a plan —</option>
              {env.plans.map((pl) => (
                <option key={pl.id} value={pl.id}>
                  {pl.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'pauseAllPlans':
      return <p className="muted small">Pauses every other plan this lead is in. Nothing to set up.</p>;
    case 'repeatPlan':
      return <p className="muted small">Starts this plan again from step one for the lead (only once at a time: loops are refused).</p>;
  }
}

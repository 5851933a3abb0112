import { Button, Field } from '../components/ui';
import type { BuilderEnv } from './env';
import type { StepOf } from './kinds';
import { WebhookTest } from './WebhookTest';

type Webhook = StepOf<'webhook'>;
type Pair = { key: string; value: string };

/** Rows of name/value inputs with add and remove, used for headers and the payload. */
function PairRows({
  label,
  rows,
  onChange,
  keyLabel,
}: {
  label: string;
  rows: Pair[];
  onChange: (rows: Pair[]) => void;
  keyLabel: string;
}) {
  return (
    <fieldset className="pairs">
      <legend>{label}</legend>
      {rows.map((r, i) => (
        <div className="pair" key={i}>
          <input
            aria-label={`${keyLabel} ${i + 1}`}
            placeholder={keyLabel}
            value={r.key}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
          />
          <input
            aria-label={`Value ${i + 1}`}
            placeholder="Value (merge fields allowed)"
            value={r.value}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <Button
            tone="ghost"
            aria-label={`Remove ${keyLabel.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button tone="ghost" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        + Add {keyLabel.toLowerCase()}
      </Button>
    </fieldset>
  );
}

export function WebhookEditor({
  step,
  index,
  env,
  onChange,
}: {
  step: Webhook;
  index: number;
  env: BuilderEnv;
  onChange: (p: Partial<Webhook>) => void;
}) {
  const at = `steps.${index}`;
  const headers = (step.headers ?? []).map((h) => ({ key: h.name, value: h.value }));
  return (
    <div className="stack">
      <div className="form-row">
        <Field label="Method">
          {(p) => (
            <select {...p} value={step.method} onChange={(e) => onChange({ method: e.target.value as Webhook['method'] })}>
              <option>GET</option>
              <option>POST</option>
              <option>PUT</option>
            </select>
          )}
        </Field>
        <div className="grow">
          <Field label="URL" error={env.issues[`${at}.url`]}>
            {(p) => (
              <input
                {...p}
                type="url"
                placeholder="https://example.com/hooks/new-lead"
                value={step.url}
                onChange={(e) => onChange({ url: e.target.value })}
              />
            )}
          </Field>
        </div>
      </div>
      <PairRows
        label="Headers"
        keyLabel="Header"
        rows={headers}
        onChange={(rows) => onChange({ headers: rows.map((r) => ({ name: r.key, value: r.value })) })}
      />
      <fieldset className="pairs">
        <legend>Payload</legend>
        <label className="check">
          <input
            type="radio"
            name={`payload-${step.id}`}
            checked={step.payload.mode === 'allLeadFields'}
            onChange={() => onChange({ payload: { mode: 'allLeadFields' } })}
          />
          Send all lead fields
        </label>
        <label className="check">
          <input
            type="radio"
            name={`payload-${step.id}`}
            checked={step.payload.mode === 'fields'}
            onChange={() => onChange({ payload: { mode: 'fields', fields: [{ key: 'email', value: '{{lead.email}}' }] } })}
          />
          Choose fields (key and value)
        </label>
        {step.payload.mode === 'fields' ? (
          <PairRows
            label="Fields"
            keyLabel="Key"
            rows={step.payload.fields}
            onChange={(fields) => onChange({ payload: { mode: 'fields', fields } })}
          />
        ) : null}
      </fieldset>
      {env.readOnly ? null : <WebhookTest step={step} env={env} />}
    </div>
  );
}

import { useState } from 'react';
import type { WebhookTestResult } from '@shared/contract/plan-tools';
import { leadDisplayName } from '@shared/model/lead';
import { Badge, Button } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { useClient } from '../lib/store';
import type { BuilderEnv } from './env';
import type { StepOf } from './kinds';

type Webhook = StepOf<'webhook'>;

/** Words for the host's failure codes: what a user can check next. */
const FAILURE: Record<string, string> = {
  HttpUnreachable: 'No connection',
  HttpTimeout: 'Timed out',
  HttpRedirectLoop: 'Redirect problem',
  HttpBadAnswer: 'Broken answer',
  SecretMissing: 'Secret header missing',
};

function statusTone(status: number): 'green' | 'amber' | 'red' {
  return status >= 200 && status < 300 ? 'green' : status < 500 ? 'amber' : 'red';
}

/**
 * "Send test request": the step as edited, merged with the chosen lead (or sample values), sent once
 * through the engine and host. The answer is shown here only — it is not a send: no outbox, no history.
 */
export function WebhookTest({ step, env }: { step: Webhook; env: BuilderEnv }) {
  const client = useClient();
  const [leadId, setLeadId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<WebhookTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = `webhook-test-${step.id}`;

  async function send() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await client.call('plans.testWebhook', {
          method: step.method,
          url: step.url,
          headers: step.headers ?? [],
          payload: step.payload,
          ...(leadId ? { leadId } : {}),
        }),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="webhook-test" aria-labelledby={`${ids}-title`}>
      <div className="webhook-test-head">
        <h3 id={`${ids}-title`}>Test this webhook</h3>
        <label className="inline-label">
          <span className="small muted">Merge with</span>
          <select aria-label="Test with lead" value={leadId} onChange={(e) => setLeadId(e.target.value)}>
            <option value="">Sample values</option>
            {env.leads.map((l) => (
              <option key={l.id} value={l.id}>
                {leadDisplayName(l)}
              </option>
            ))}
          </select>
        </label>
        <Button onClick={() => void send()} disabled={busy || !step.url} aria-describedby={`${ids}-note`}>
          {busy ? 'Sending…' : 'Send test request'}
        </Button>
      </div>
      <p className="small muted" id={`${ids}-note`}>
        Sends one real request now. It is not recorded in the outbox or the lead’s history.
      </p>
      <div aria-live="polite">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {result ? <TestAnswer result={result} /> : null}
      </div>
    </section>
  );
}

function TestAnswer({ result }: { result: WebhookTestResult }) {
  const timing = result.durationMs === null ? '' : ` in ${result.durationMs} ms`;
  return (
    <div className="webhook-answer" role="status" aria-label="Test result">
      {result.outcome === 'answered' ? (
        <>
          <p>
            <Badge tone={statusTone(result.status)}>HTTP {result.status}</Badge>{' '}
            <span className="small">
              Answered{timing} · merged with {result.mergedWith}
            </span>
          </p>
          {result.body ? (
            <pre className="webhook-body" aria-label="Response body" tabIndex={0}>
              {result.body}
              {result.truncated ? '\n… (first 2 KB shown)' : ''}
            </pre>
          ) : (
            <p className="small muted">The answer had no body.</p>
          )}
        </>
      ) : (
        <p>
          <Badge tone="red">{FAILURE[result.code] ?? 'Failed'}</Badge> <span>{result.reason}</span>
          <span className="small muted">
            {' '}
            ({result.durationMs === null ? '' : `after ${result.durationMs} ms, `}merged with {result.mergedWith})
          </span>
        </p>
      )}
      {result.request ? (
        <details>
          <summary className="small">Request sent</summary>
          <pre className="webhook-body">
            {`${result.request.method} ${result.request.url}\n`}
            {result.request.headers.map((h) => `${h.name}: ${h.value}\n`).join('')}
            {result.request.body ? `\n${result.request.body}` : ''}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

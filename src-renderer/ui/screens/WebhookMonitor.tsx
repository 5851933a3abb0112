import type { LeadId } from '@shared/model/ids';
import { Badge, Button, Card, ErrorBanner } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { useApp } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import './channels.css';

/** Every webhook attempt: status, answer, timing and the request sent (secret headers masked by the host). */
export function WebhookMonitor() {
  const navigate = useApp((s) => s.navigate);
  const rows = useEngineQuery('outbox.deliveries', { channel: 'webhook', limit: 100 }, ['deliveries']);
  return (
    <section className="webhook-monitor" aria-label="Webhook monitor">
      <Card title="Webhook monitor">
        <ErrorBanner message={rows.error} />
        {rows.data?.length === 0 ? (
          <p className="muted">No webhook has been called yet. Each call shows here with the server’s answer and the request sent.</p>
        ) : (
          <table className="table" aria-label="Webhook calls">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Lead</th>
                <th scope="col">Request</th>
                <th scope="col">Answer</th>
                <th scope="col" className="num">
                  Time
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.data?.map((d) => (
                <tr key={d.id}>
                  <td>{formatDateTime(d.at)}</td>
                  <td>
                    <Button tone="ghost" onClick={() => navigate({ screen: 'lead', id: d.leadId as LeadId })}>
                      {d.leadName}
                    </Button>
                  </td>
                  <td>
                    <details>
                      <summary>{d.summary.replace(/^Webhook /, '')}</summary>
                      {d.request ? (
                        <pre className="small">
                          {[
                            `${d.request.method} ${d.request.url}`,
                            ...d.request.headers.map((h) => `${h.name}: ${h.value}`),
                            '',
                            d.request.body ?? '',
                          ].join('\n')}
                        </pre>
                      ) : (
                        <p className="small muted">The request was not sent (see the answer).</p>
                      )}
                    </details>
                  </td>
                  <td>
                    <Badge tone={d.ok ? 'green' : 'red'}>{d.status !== null ? `HTTP ${d.status}` : (d.errorCode ?? 'failed')}</Badge>{' '}
                    <span className="small">{d.responseExcerpt}</span>
                  </td>
                  <td className="num">{d.durationMs !== null ? `${d.durationMs} ms` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </section>
  );
}

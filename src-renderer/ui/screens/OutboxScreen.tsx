import type { OutboxStatus } from '@shared/model/outbox';
import { describeMessage } from '@shared/model/outbox';
import { QueueSummary } from '../components/QueueSummary';
import { Badge, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { formatDateTime, plural } from '../lib/format';
import { useEngineQuery } from '../lib/use-engine';
import { WebhookMonitor } from './WebhookMonitor';

const tone: Record<OutboxStatus, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  held: 'neutral',
  queued: 'amber',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  cancelled: 'neutral',
};

export function OutboxScreen() {
  const outbox = useEngineQuery('outbox.list', { limit: 200 }, ['outbox']);
  const queued = outbox.data?.filter((m) => m.status === 'queued').length ?? 0;
  return (
    <div className="page">
      <PageHeader title="Outbox" subtitle={outbox.data ? `${plural(queued, 'message')} waiting` : ' '} />
      <QueueSummary />
      <ErrorBanner message={outbox.error} />
      {outbox.data?.length === 0 ? (
        <EmptyState title="Nothing sent yet">Messages from your plans appear here as they are queued, sent or retried.</EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">When</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {outbox.data?.map((m) => (
              <tr key={m.id}>
                <td>{describeMessage(m)}</td>
                <td>
                  <Badge tone={tone[m.status]}>{m.status}</Badge>
                </td>
                <td className="num">{m.attempts}</td>
                <td>
                  {m.sentAt
                    ? `sent ${formatDateTime(m.sentAt)}`
                    : m.nextAttemptAt
                      ? `next try ${formatDateTime(m.nextAttemptAt)}`
                      : formatDateTime(m.createdAt)}
                </td>
                <td className="small">{m.lastError ? m.lastError.message : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <WebhookMonitor />
    </div>
  );
}

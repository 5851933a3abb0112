import { useState } from 'react';
import type { OutboxChannel, OutboxMessage, OutboxStatus } from '@shared/model/outbox';
import { describeMessage } from '@shared/model/outbox';
import type { LeadId, PlanId } from '@shared/model/ids';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { QueueSummary } from '../components/QueueSummary';
import { Badge, Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { formatDateTime, plural } from '../lib/format';
import { useApp, useClient } from '../lib/store';
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

const CHANNELS: { value: OutboxChannel; label: string }[] = [
  { value: 'email', label: 'Email' },
  { value: 'sms', label: 'Text message' },
  { value: 'webhook', label: 'Webhook' },
  { value: 'notification', label: 'Notification' },
];

function when(m: OutboxMessage): string {
  if (m.sentAt) return `sent ${formatDateTime(m.sentAt)}`;
  if (m.status === 'queued' && m.nextAttemptAt)
    return m.attempts ? `next retry ${formatDateTime(m.nextAttemptAt)}` : `due ${formatDateTime(m.nextAttemptAt)}`;
  return `created ${formatDateTime(m.createdAt)}`;
}

/** Queued, sent and failed messages with what went wrong, retry now and cancel (the outbox and webhook monitor). */
export function OutboxScreen({ leadId }: { leadId?: LeadId | undefined }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const navigate = useApp((s) => s.navigate);
  const [channel, setChannel] = useState<OutboxChannel | ''>('');
  const [status, setStatus] = useState<OutboxStatus | ''>('');
  const [planId, setPlanId] = useState<PlanId | ''>('');
  const [cancelling, setCancelling] = useState<OutboxMessage | null>(null);
  const plans = useEngineQuery('plans.list', {}, ['plans']);
  const lead = useEngineQuery('leads.get', { id: leadId ?? 'none' }, ['leads']);
  const outbox = useEngineQuery(
    'outbox.list',
    {
      limit: 300,
      ...(leadId ? { leadId } : {}),
      ...(channel ? { channel } : {}),
      ...(status ? { status } : {}),
      ...(planId ? { planId } : {}),
    },
    ['outbox'],
  );
  const waiting = outbox.data?.filter((m) => m.status === 'queued').length ?? 0;
  const failed = outbox.data?.filter((m) => m.status === 'failed').length ?? 0;

  const act = async (method: 'outbox.retry' | 'outbox.cancel', m: OutboxMessage) => {
    try {
      await client.call(method, { id: m.id });
      toast(method === 'outbox.retry' ? 'Trying again now' : 'Message cancelled', 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Outbox"
        subtitle={outbox.data ? `${plural(waiting, 'message')} waiting · ${failed} failed` : ' '}
        actions={leadId ? <Button onClick={() => navigate({ screen: 'outbox' })}>Show all leads</Button> : undefined}
      />
      <QueueSummary />
      <div className="toolbar" role="group" aria-label="Filter messages">
        {leadId ? <span className="chip">Lead: {lead.data ? `${lead.data.firstName} ${lead.data.lastName}` : '…'}</span> : null}
        <select aria-label="Channel" value={channel} onChange={(e) => setChannel(e.target.value as OutboxChannel | '')}>
          <option value="">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as OutboxStatus | '')}>
          <option value="">Any status</option>
          {(['held', 'queued', 'sending', 'sent', 'failed', 'cancelled'] as const).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Plan" value={planId} onChange={(e) => setPlanId(e.target.value as PlanId | '')}>
          <option value="">All plans</option>
          {plans.data?.map((p) => (
            <option key={p.plan.id} value={p.plan.id}>
              {p.plan.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorBanner message={outbox.error} />
      {outbox.data?.length === 0 ? (
        <EmptyState title={channel || status || planId || leadId ? 'No message matches' : 'Nothing sent yet'}>
          Messages from your plans appear here as they are queued, sent or retried.
        </EmptyState>
      ) : (
        <table className="table" aria-label="Messages">
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">When</th>
              <th scope="col">Diagnostics</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
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
                <td className="small">{when(m)}</td>
                <td className="small">
                  {m.lastError ? (
                    <>
                      {m.lastError.message}
                      {m.lastError.response ? <div className="mono muted">{m.lastError.response.slice(0, 200)}</div> : null}
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td>
                  {m.status === 'queued' || m.status === 'failed' ? (
                    <div className="row-actions">
                      <Button onClick={() => void act('outbox.retry', m)} aria-label={`Retry now: ${describeMessage(m)}`}>
                        Retry now
                      </Button>
                      <Button tone="ghost" onClick={() => setCancelling(m)} aria-label={`Cancel: ${describeMessage(m)}`}>
                        Cancel
                      </Button>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this message?"
        body={cancelling ? `${describeMessage(cancelling)} will never be sent. The lead's history records it.` : ''}
        confirmLabel="Cancel message"
        onCancel={() => setCancelling(null)}
        onConfirm={() => {
          if (cancelling) void act('outbox.cancel', cancelling);
          setCancelling(null);
        }}
      />
      <WebhookMonitor />
    </div>
  );
}

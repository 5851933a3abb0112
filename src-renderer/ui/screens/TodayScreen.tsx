import { DateTime } from 'luxon';
import type { Task, TaskKind } from '@shared/model/task';
import { Badge, Button, Card, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { formatInZone, plural, userZone } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { engineNow, useNow } from '../lib/use-now';

const KIND: Record<TaskKind, { label: string; tone: 'neutral' | 'blue' | 'amber' | 'green' }> = {
  todo: { label: 'Reminder', tone: 'neutral' },
  call: { label: 'Call', tone: 'blue' },
  reviewEmail: { label: 'Review email', tone: 'amber' },
  reviewSms: { label: 'Review text', tone: 'amber' },
};

function LeadLink({ task }: { task: Task }) {
  const navigate = useApp((s) => s.navigate);
  const lead = useEngineQuery('leads.get', { id: task.leadId }, ['leads']);
  const name = lead.data ? `${lead.data.firstName} ${lead.data.lastName}`.trim() : lead.error ? 'Deleted lead' : '…';
  return (
    <a
      href={`#lead-${task.leadId}`}
      onClick={(e) => {
        e.preventDefault();
        navigate({ screen: 'lead', id: task.leadId });
      }}
    >
      {name}
    </a>
  );
}

function TaskRow({ task, overdue }: { task: Task; overdue: boolean }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const zone = userZone();
  const snooze = (until: number, label: string) =>
    client.call('tasks.snooze', { id: task.id, until }).then(
      () => toast(`Snoozed until ${label}`),
      (err: unknown) => toast(errorMessage(err), 'error'),
    );
  const tomorrow9 = DateTime.fromMillis(engineNow())
    .setZone(zone)
    .plus({ days: 1 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 })
    .toMillis();
  return (
    <li className="list-row" aria-label={task.title}>
      <div>
        <Badge tone={KIND[task.kind].tone}>{KIND[task.kind].label}</Badge> <strong>{task.title}</strong> · <LeadLink task={task} />
        <div className={`small ${overdue ? 'overdue' : 'muted'}`}>
          {overdue ? 'Overdue since ' : 'Due '}
          {formatInZone(task.dueAt, zone)}
        </div>
      </div>
      <div className="row-actions">
        <Button
          tone="primary"
          onClick={() =>
            void client.call('tasks.complete', { id: task.id }).then(
              () => toast('Done', 'success'),
              (err: unknown) => toast(errorMessage(err), 'error'),
            )
          }
        >
          Complete
        </Button>
        {task.kind === 'reviewEmail' || task.kind === 'reviewSms' ? (
          <Button
            onClick={() =>
              void client.call('tasks.sendNow', { id: task.id }).then(
                () => toast('Sending now', 'success'),
                (err: unknown) => toast(errorMessage(err), 'error'),
              )
            }
          >
            Send now
          </Button>
        ) : null}
        <Button onClick={() => void snooze(engineNow() + 3_600_000, 'in an hour')}>Snooze 1 h</Button>
        <Button tone="ghost" onClick={() => void snooze(tomorrow9, 'tomorrow 9:00')}>
          Tomorrow
        </Button>
      </div>
    </li>
  );
}

/** What needs the user today: overdue and due tasks, and the notifications center. */
export function TodayScreen() {
  const now = useNow();
  const endOfDay = DateTime.fromMillis(now).setZone(userZone()).endOf('day').toMillis();
  const tasks = useEngineQuery('tasks.list', { until: endOfDay, status: 'open' }, ['tasks']);
  const notifications = useEngineQuery('notifications.list', { limit: 30 }, ['history']);
  const navigate = useApp((s) => s.navigate);
  const overdue = tasks.data?.filter((t) => t.dueAt < now) ?? [];
  const today = tasks.data?.filter((t) => t.dueAt >= now) ?? [];

  return (
    <div className="page">
      <PageHeader
        title="Today"
        subtitle={tasks.data ? `${plural(tasks.data.length, 'task')} to do today · ${overdue.length} overdue` : ' '}
      />
      <ErrorBanner message={tasks.error ?? notifications.error} />
      <div className="grid-2">
        <div className="stack">
          <Card title="Overdue">
            {overdue.length === 0 ? <p className="muted">Nothing overdue.</p> : null}
            <ul className="list" aria-label="Overdue tasks">
              {overdue.map((t) => (
                <TaskRow key={t.id} task={t} overdue />
              ))}
            </ul>
          </Card>
          <Card title="Due today">
            {tasks.data && today.length === 0 ? (
              <EmptyState title="All clear for today">Tasks, calls and messages to review from your plans show up here.</EmptyState>
            ) : null}
            <ul className="list" aria-label="Tasks due today">
              {today.map((t) => (
                <TaskRow key={t.id} task={t} overdue={false} />
              ))}
            </ul>
          </Card>
        </div>
        <Card title="Notifications">
          {notifications.data?.length === 0 ? <p className="muted">No failures or replies.</p> : null}
          <ul className="list" aria-label="Notifications">
            {notifications.data?.map(({ entry, leadName }) => (
              <li key={entry.id} className="list-row">
                <div>
                  <Badge tone={entry.kind === 'failed' ? 'red' : entry.kind === 'deliveryProblem' ? 'amber' : 'blue'}>
                    {entry.kind === 'deliveryProblem' ? 'delivery problem' : entry.kind}
                  </Badge>{' '}
                  <a
                    href={`#lead-${entry.leadId}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'lead', id: entry.leadId });
                    }}
                  >
                    {leadName}
                  </a>
                  <div className="small">{entry.summary}</div>
                  <div className="small muted">{formatInZone(entry.at, userZone())}</div>
                </div>
                {entry.outboxId ? (
                  <Button tone="ghost" onClick={() => navigate({ screen: 'outbox', leadId: entry.leadId })}>
                    See message
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </div>
  );
}

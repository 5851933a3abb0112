import { useState } from 'react';
import type { EnrollmentAction } from '@shared/contract/enrollments';
import type { EnrollmentState } from '@shared/model/enrollment';
import { MAX_STEP_TRIES } from '@shared/model/enrollment';
import type { HistoryKind } from '@shared/model/history';
import type { LeadId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { QueuedSends } from '../components/QueuedSends';
import { Badge, Button, Card, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { formatInZone, userZone } from '../lib/format';
import { useRights } from '../lib/rights';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { useNow } from '../lib/use-now';
import { LeadForm } from './LeadForm';
import { filterHistory, HISTORY_FILTERS, NotesAndTasksCard, OptOutsCard } from './lead/LeadSidePanels';

const stateTone: Record<EnrollmentState, 'green' | 'amber' | 'red' | 'blue' | 'neutral'> = {
  active: 'green',
  paused: 'amber',
  stopped: 'red',
  completed: 'blue',
  removed: 'neutral',
};

const actionsFor: Record<EnrollmentState, EnrollmentAction[]> = {
  active: ['pause', 'stop', 'remove'],
  paused: ['resume', 'remove'],
  stopped: ['restart', 'remove'],
  completed: ['restart'],
  removed: [],
};

const actionLabel: Record<EnrollmentAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  restart: 'Restart',
  remove: 'Remove',
};

const historyIcon: Record<HistoryKind, string> = {
  leadCreated: '+',
  leadUpdated: '✎',
  enrolled: '▶',
  stateChanged: '⇄',
  queued: '⋯',
  sent: '✓',
  skipped: '↷',
  deferred: '◷',
  heldForReview: '☐',
  replied: '↩',
  deliveryProblem: '!',
  failed: '✕',
  completed: '★',
  stepRan: '•',
  note: '✎',
  autoReplied: '↺',
  optedOut: '⊘',
};

export function LeadScreen({ id }: { id: LeadId }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const navigate = useApp((s) => s.navigate);
  const lead = useEngineQuery('leads.get', { id }, ['leads']);
  const enrollments = useEngineQuery('enrollments.forLead', { leadId: id }, ['enrollments', 'plans']);
  const upcoming = useEngineQuery('leads.upcoming', { leadId: id }, ['enrollments', 'plans', 'leads']);
  const history = useEngineQuery('leads.history', { leadId: id }, ['history']);
  const plans = useEngineQuery('plans.list', {}, ['plans']);
  const rights = useRights();
  const role = useApp((s) => s.session?.currentUser.role);
  const users = useApp((s) => s.session?.users);
  const nameOf = (userId: string | undefined) => (userId ? (users?.find((u) => u.id === userId)?.name ?? 'Unknown') : '—');
  const [editing, setEditing] = useState(false);
  const now = useNow();
  const [planToEnroll, setPlanToEnroll] = useState<string>('');
  const [historyFilter, setHistoryFilter] = useState('all');
  const session = useApp((s) => s.session);
  const [confirm, setConfirm] = useState<{ enrollmentId: string; action: EnrollmentAction; planName: string } | null>(null);

  if (lead.error) return <ErrorBanner message={lead.error} />;
  if (!lead.data) return <p className="loading">Loading lead…</p>;
  const l = lead.data;
  const zone = l.timeZone;
  const userName = (uid: string | undefined) => (uid ? (session?.users.find((u) => u.id === uid)?.name ?? 'Unknown user') : '—');
  const events = Object.entries(l.eventDates);
  const shownHistory = filterHistory(history.data ?? [], historyFilter);
  const readyPlans = plans.data?.filter((p) => p.plan.status === 'ready') ?? [];

  async function enroll() {
    if (!planToEnroll) return;
    try {
      await client.call('enrollments.enroll', { leadId: id, planId: planToEnroll });
      toast(`${l.firstName} enrolled`, 'success');
      setPlanToEnroll('');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  async function apply(enrollmentId: string, action: EnrollmentAction) {
    try {
      await client.call('enrollments.apply', { id: enrollmentId, action });
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={leadDisplayName(l)}
        subtitle={
          <>
            <Badge>{l.stage}</Badge> {l.source ? <span className="muted">from {l.source}</span> : null}
          </>
        }
        actions={
          <>
            <Button onClick={() => navigate({ screen: 'leads' })}>All leads</Button>
            <Button onClick={() => navigate({ screen: 'outbox', leadId: id })}>Messages</Button>
            <Button onClick={() => setEditing(true)}>Edit</Button>
          </>
        }
      />
      <div className="grid-2">
        <div className="stack">
          <Card title="Profile">
            {editing ? (
              <LeadForm lead={l} onCancel={() => setEditing(false)} onDone={() => setEditing(false)} />
            ) : (
              <dl className="facts">
                <dt>Email</dt>
                <dd>{l.email ?? '—'}</dd>
                <dt>Phone</dt>
                <dd>{l.phone ?? '—'}</dd>
                <dt>Buyer agent</dt>
                <dd>{nameOf(l.assignees.buyerAgent)}</dd>
                <dt>Lender</dt>
                <dd>{nameOf(l.assignees.lender)}</dd>
                <dt>Time zone</dt>
                <dd>
                  {zone.replace(/_/g, ' ')} <span className="muted">(now {formatInZone(now, zone)})</span>
                </dd>
                <dt>Tags</dt>
                <dd>
                  {l.tags.length
                    ? l.tags.map((t) => (
                        <span key={t} className="tag">
                          {t}
                        </span>
                      ))
                    : '—'}
                </dd>
                <dt>Listing agent</dt>
                <dd>{userName(l.assignees.listingAgent)}</dd>
                {events.length ? (
                  <>
                    <dt>Event dates</dt>
                    <dd>{events.map(([name, date]) => `${name}: ${date}`).join(' · ')}</dd>
                  </>
                ) : null}
              </dl>
            )}
          </Card>
          <Card title="Action plans">
            <div className="inline-form">
              <label htmlFor="enroll-plan" className="sr-only">
                Plan to enroll in
              </label>
              <select id="enroll-plan" value={planToEnroll} onChange={(e) => setPlanToEnroll(e.target.value)}>
                <option value="">{readyPlans.length ? 'Choose a Ready plan…' : 'No Ready plan yet'}</option>
                {readyPlans.map((p) => (
                  <option key={p.plan.id} value={p.plan.id}>
                    {p.plan.name}
                  </option>
                ))}
              </select>
              <Button tone="primary" disabled={!planToEnroll} onClick={() => void enroll()}>
                Enroll
              </Button>
            </div>
            {rights && (role === 'agent' || role === 'lender') && rights.can.assignFullyAutomatedPlans ? (
              <p className="small muted quota" role="status">
                {rights.quota.remaining} of {rights.quota.limit} manual assignments to fully automated plans left today for the whole
                account.
              </p>
            ) : null}
            {enrollments.data?.length === 0 ? <p className="muted">Not in any plan yet.</p> : null}
            <ul className="list">
              {enrollments.data?.map((e) => (
                <li key={e.id} className="list-row">
                  <div>
                    <strong>{e.planName}</strong>{' '}
                    {e.failure && e.state === 'paused' ? (
                      <Badge tone="red">failed</Badge>
                    ) : (
                      <Badge tone={stateTone[e.state]}>{e.state}</Badge>
                    )}
                    {e.engaged ? <Badge tone="blue">replied</Badge> : null}
                    {e.exitReason && e.state !== 'active' ? <span className="muted"> · {e.exitReason}</span> : null}
                    {e.runsOn && (e.state === 'active' || e.state === 'paused') ? <p className="small muted">{e.runsOn}</p> : null}
                    {e.failure ? (
                      <p className="small muted">
                        {e.state === 'paused'
                          ? `Paused after ${e.failure.attempts} failed tries: ${e.failure.reason}. Resume tries it again.`
                          : `The last try failed (${e.failure.attempts} of ${MAX_STEP_TRIES}): ${e.failure.reason}; it is tried again soon.`}
                      </p>
                    ) : null}
                  </div>
                  <div className="row-actions">
                    {actionsFor[e.state].map((a) => (
                      <Button
                        key={a}
                        tone={a === 'remove' || a === 'stop' ? 'ghost' : 'secondary'}
                        onClick={() =>
                          a === 'remove' || a === 'stop'
                            ? setConfirm({ enrollmentId: e.id, action: a, planName: e.planName })
                            : void apply(e.id, a)
                        }
                      >
                        {actionLabel[a]}
                      </Button>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          </Card>
          <OptOutsCard lead={l} />
          <NotesAndTasksCard leadId={id} now={now} />
          <Card title="Upcoming steps">
            {upcoming.data?.length === 0 ? <p className="muted">Nothing scheduled.</p> : null}
            <ul className="list" aria-label="Upcoming steps">
              {upcoming.data?.map((u) => (
                <li key={`${u.enrollmentId}:${u.stepId}`} className="list-row">
                  <div>
                    <strong>{u.stepName}</strong> <span className="muted">· {u.planName}</span>
                  </div>
                  <div className="due">
                    <time dateTime={new Date(u.dueAt).toISOString()}>{formatInZone(u.dueAt, u.leadTimeZone)}</time>
                    {u.leadTimeZone !== userZone() ? (
                      <span className="muted small">your time {formatInZone(u.dueAt, userZone())}</span>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
            <QueuedSends leadId={id} />
          </Card>
        </div>
        <Card
          title="History"
          actions={
            <select aria-label="Show in history" value={historyFilter} onChange={(e) => setHistoryFilter(e.target.value)}>
              {HISTORY_FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          }
        >
          {history.data?.length === 0 ? <EmptyState title="No history yet" /> : null}
          {history.data?.length && shownHistory.length === 0 ? <p className="muted">Nothing of this kind yet.</p> : null}
          <ol className="timeline" aria-label="History">
            {shownHistory.map((h) => (
              <li key={h.id} className={`timeline-item tl-${h.kind}`}>
                <span className="tl-icon" aria-hidden="true">
                  {historyIcon[h.kind]}
                </span>
                <div>
                  <p className="tl-summary">
                    <span className="sr-only">{h.kind}: </span>
                    {h.summary}
                  </p>
                  <p className="muted small">
                    <time dateTime={new Date(h.at).toISOString()}>{formatInZone(h.at, userZone())}</time>
                    {h.actor.kind === 'user'
                      ? ` · by ${h.actor.name}`
                      : h.actor.kind === 'step' || h.actor.kind === 'scheduler'
                        ? ' · by the plan'
                        : ''}
                  </p>
                  {h.detail ? <p className="muted small mono">{h.detail}</p> : null}
                </div>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? `${actionLabel[confirm.action]} “${confirm.planName}”?` : ''}
        body={
          confirm?.action === 'stop'
            ? 'No more steps of this plan will run for this lead. You can restart it later from step one.'
            : 'The lead leaves this plan and its remaining steps are cancelled.'
        }
        confirmLabel={confirm ? actionLabel[confirm.action] : ''}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) void apply(confirm.enrollmentId, confirm.action);
          setConfirm(null);
        }}
      />
    </div>
  );
}

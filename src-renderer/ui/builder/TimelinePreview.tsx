import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import type { TimelineEntry } from '@shared/contract/plan-tools';
import type { PlanPreview, PreviewEntry } from '@shared/contract/plans';
import type { LeadId } from '@shared/model/ids';
import { leadDisplayName } from '@shared/model/lead';
import type { PlanInput, StepInput, StepKind, TimingInput } from '@shared/model/plan';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Badge, Field } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { formatInZone, userZone } from '../lib/format';
import { useClient } from '../lib/store';
import type { BuilderEnv } from './env';
import { kindInfo, stepSummary } from './kinds';

/** Day 1 is the enrollment day, counted in calendar days of the lead's zone. */
const planDay = (at: number, start: number, zone: string) =>
  Math.round(DateTime.fromMillis(at, { zone }).startOf('day').diff(DateTime.fromMillis(start, { zone }).startOf('day'), 'days').days) + 1;

/** "2026-04-14T09:30" for an instant, as a wall time in `zone` (what a datetime-local input shows). */
const wallTime = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
/** The instant of a wall time typed for the lead's zone (not the computer's). */
const instantOf = (wall: string, zone: string) => DateTime.fromISO(wall, { zone }).toMillis();

type ViewStatus = TimelineEntry['status'] | 'review' | 'waits';
type ViewEntry = Omit<TimelineEntry, 'status'> & { status: ViewStatus };
/** What the tab shows; `full` when the engine's `plans.preview` (windows, caps, quiet hours) produced it. */
interface View {
  timeZone: string;
  startAt: number;
  entries: ViewEntry[];
  full: boolean;
}

const statusBadge: Record<ViewStatus, { tone: 'green' | 'amber' | 'red' | 'neutral' | 'blue'; text: string }> = {
  scheduled: { tone: 'green', text: 'Scheduled' },
  deferred: { tone: 'amber', text: 'Deferred' },
  skipped: { tone: 'red', text: 'Skipped' },
  noDate: { tone: 'neutral', text: 'Waiting for a date' },
  review: { tone: 'blue', text: 'Review first' },
  waits: { tone: 'neutral', text: 'Waits for a task' },
};

const fromPreview: Record<PreviewEntry['status'], ViewStatus> = {
  fires: 'scheduled',
  deferred: 'deferred',
  skipped: 'skipped',
  review: 'review',
  waitsForTask: 'waits',
};

function previewView(p: PlanPreview, steps: StepInput[]): View {
  const entries = p.entries.map((e): ViewEntry => {
    const index = steps.findIndex((s) => s.id === e.stepId);
    const status = e.status === 'skipped' && e.dueAt === null ? 'noDate' : fromPreview[e.status];
    return {
      stepId: e.stepId,
      index,
      kind: e.stepKind,
      name: steps[index]?.name ?? '',
      at: e.firesAt,
      dueAt: e.dueAt,
      status,
      note: e.reasons.length ? e.reasons.join(' · ') : null,
    };
  });
  return { timeZone: p.timeZone, startAt: p.startAt, entries, full: true };
}

/**
 * When each step fires, for a chosen lead or a start date and zone. Asks the engine's `plans.preview`
 * (send windows, quiet hours, caps, before-event skips); while the plan being edited is not yet a
 * valid plan (e.g. a webhook without its URL) it falls back to `plans.timeline` (timing and SMS quiet hours).
 */
export function TimelinePreview({ plan, env }: { plan: PlanInput; env: BuilderEnv }) {
  const steps = plan.steps;
  const client = useClient();
  const [mode, setMode] = useState<'lead' | 'date'>(env.leads.length ? 'lead' : 'date');
  const [leadId, setLeadId] = useState('');
  const [start, setStart] = useState(() => wallTime(Date.now(), userZone()));
  const [zone, setZone] = useState(userZone());
  const [events, setEvents] = useState<Record<string, string>>({});
  const [timeline, setTimeline] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosenLead = leadId || env.leads[0]?.id || '';

  const eventNames = useMemo(
    () =>
      [
        ...new Set(
          steps.map((s) => s.timing).flatMap((t: TimingInput) => (t.kind === 'beforeEvent' || t.kind === 'afterEvent' ? [t.event] : [])),
        ),
      ].filter(Boolean),
    [steps],
  );
  const anchor = useMemo(
    () =>
      mode === 'lead' && chosenLead
        ? { leadId: chosenLead as LeadId }
        : { startAt: Number.isFinite(instantOf(start, zone)) ? instantOf(start, zone) : undefined, timeZone: zone, eventDates: events },
    [mode, chosenLead, start, zone, events],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      const simple = () =>
        client.call('plans.timeline', {
          steps: steps.map((s) => ({ id: s.id, kind: s.kind, name: s.name ?? '', timing: s.timing })),
          ...anchor,
        });
      client
        .call('plans.preview', { plan, ...anchor })
        .then(
          (p) => previewView(p, steps),
          async () => ({ ...(await simple()), full: false }),
        )
        .then(
          (v) => {
            setTimeline(v);
            setError(null);
          },
          (err: unknown) => setError(errorMessage(err)),
        );
    }, 200);
    return () => clearTimeout(timer);
  }, [client, plan, steps, anchor]);

  const byId = new Map(steps.map((s) => [s.id, s]));
  return (
    <section className="card" aria-labelledby="tl-title">
      <h2 id="tl-title">Timeline preview</h2>
      <div className="form-row">
        <fieldset className="segmented">
          <legend className="sr-only">Preview for</legend>
          <label className={mode === 'lead' ? 'on' : ''}>
            <input type="radio" name="tl-mode" checked={mode === 'lead'} onChange={() => setMode('lead')} disabled={!env.leads.length} />
            For a lead
          </label>
          <label className={mode === 'date' ? 'on' : ''}>
            <input type="radio" name="tl-mode" checked={mode === 'date'} onChange={() => setMode('date')} />
            From a start date
          </label>
        </fieldset>
        {mode === 'lead' ? (
          <Field label="Lead">
            {(p) => (
              <select {...p} value={chosenLead} onChange={(e) => setLeadId(e.target.value)}>
                {env.leads.map((l) => (
                  <option key={l.id} value={l.id}>
                    {leadDisplayName(l)} ({l.timeZone.replace(/_/g, ' ')})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <>
            <Field label="Start date and time">
              {(p) => <input {...p} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />}
            </Field>
            <Field label="Lead time zone">{(p) => <TimeZoneSelect {...p} value={zone} onChange={setZone} />}</Field>
            {eventNames.map((name) => (
              <Field key={name} label={`${name} date`}>
                {(p) => (
                  <input {...p} type="date" value={events[name] ?? ''} onChange={(e) => setEvents({ ...events, [name]: e.target.value })} />
                )}
              </Field>
            ))}
          </>
        )}
      </div>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {timeline && steps.length === 0 ? <p className="muted">Add steps to see when they go out.</p> : null}
      {timeline ? (
        <ol className="plan-timeline" aria-label="When each step fires">
          {timeline.entries.map((entry) => {
            const step = byId.get(entry.stepId);
            const kind = kindInfo(entry.kind as StepKind);
            const badge = statusBadge[entry.status];
            const day = entry.at !== null ? planDay(entry.at, timeline.startAt, timeline.timeZone) : null;
            return (
              <li key={entry.stepId} className={`tl-entry tl-${entry.status}`}>
                <span className="tl-dot" aria-hidden="true">
                  {kind.icon}
                </span>
                <div className="tl-when">
                  <strong>{entry.at !== null ? formatInZone(entry.at, timeline.timeZone) : '—'}</strong>
                  <span className="small muted">{day !== null ? `Day ${day}` : ''}</span>
                </div>
                <div className="tl-what">
                  <span>
                    Step {entry.index + 1}: {entry.name || kind.label} — {step ? stepSummary(step) : ''}
                  </span>
                  {entry.note ? <span className="small muted">{entry.note}</span> : null}
                </div>
                <Badge tone={badge.tone}>{badge.text}</Badge>
              </li>
            );
          })}
        </ol>
      ) : null}
      {timeline && !timeline.full ? (
        <p className="small muted">
          Showing timing and text quiet hours only: send windows and daily caps apply once the plan’s steps are complete.
        </p>
      ) : null}
    </section>
  );
}

import { useState } from 'react';
import type { HistoryEntry, HistoryKind } from '@shared/model/history';
import type { LeadId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { Button, Card } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { formatInZone, userZone } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';

/** Per-channel opt-outs: steps on an opted-out channel are skipped and recorded. */
export function OptOutsCard({ lead }: { lead: Lead }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  // Shown at once; put back if the engine refuses.
  const [optOuts, setOptOuts] = useState(lead.optOuts);
  const [seen, setSeen] = useState(lead.optOuts);
  if (seen !== lead.optOuts) {
    setSeen(lead.optOuts);
    setOptOuts(lead.optOuts);
  }
  const change = (channel: 'email' | 'sms', value: boolean) => {
    const next = { ...optOuts, [channel]: value };
    setOptOuts(next);
    client.call('leads.setOptOuts', { id: lead.id, optOuts: next }).catch((err: unknown) => {
      setOptOuts(lead.optOuts);
      toast(errorMessage(err), 'error');
    });
  };
  return (
    <Card title="Opt-outs">
      <label className="switch-row">
        <input type="checkbox" checked={optOuts.email} onChange={(e) => change('email', e.target.checked)} /> Opted out of emails
      </label>
      <label className="switch-row">
        <input type="checkbox" checked={optOuts.sms} onChange={(e) => change('sms', e.target.checked)} /> Opted out of text messages
      </label>
    </Card>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A datetime-local value for an instant, in the user's own zone. */
function localInput(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Add a note or a task; the lead's open tasks with Complete. */
export function NotesAndTasksCard({ leadId, now }: { leadId: LeadId; now: number }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const tasks = useEngineQuery('tasks.list', { leadId, status: 'open' }, ['tasks']);
  const [note, setNote] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<'todo' | 'call'>('todo');
  const [due, setDue] = useState(() => localInput(now + 3_600_000));
  const [error, setError] = useState<string | null>(null);

  const addNote = async () => {
    try {
      await client.call('leads.addNote', { leadId, text: note });
      setNote('');
      setError(null);
      toast('Note added', 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const addTask = async () => {
    try {
      const dueAt = new Date(due).getTime();
      if (Number.isNaN(dueAt)) throw new Error('Pick when the task is due.');
      await client.call('tasks.create', { leadId, title, kind, dueAt });
      setTitle('');
      setError(null);
      toast('Task added', 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Card title="Notes and tasks">
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void addNote();
        }}
      >
        <label htmlFor="lead-note">Note</label>
        <textarea
          id="lead-note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="What happened, what they said…"
        />
        <div>
          <Button type="submit" disabled={!note.trim()}>
            Add note
          </Button>
        </div>
      </form>
      <div className="divider" />
      <form
        className="inline-form wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void addTask();
        }}
      >
        <input aria-label="Task" placeholder="Task, e.g. Call about the showing" value={title} onChange={(e) => setTitle(e.target.value)} />
        <select aria-label="Task kind" value={kind} onChange={(e) => setKind(e.target.value as 'todo' | 'call')}>
          <option value="todo">To-do</option>
          <option value="call">Call</option>
        </select>
        <input aria-label="Due" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        <Button type="submit" disabled={!title.trim()}>
          Add task
        </Button>
      </form>
      {tasks.data?.length ? (
        <ul className="list" aria-label="Open tasks">
          {tasks.data.map((t) => (
            <li key={t.id} className="list-row">
              <div>
                <strong>{t.title}</strong>{' '}
                <span className={`muted small${t.dueAt < now ? ' overdue' : ''}`}>due {formatInZone(t.dueAt, userZone())}</span>
              </div>
              <Button
                onClick={() => void client.call('tasks.complete', { id: t.id }).catch((err: unknown) => toast(errorMessage(err), 'error'))}
              >
                Complete
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

export const HISTORY_FILTERS: { value: string; label: string; kinds: HistoryKind[] | null }[] = [
  { value: 'all', label: 'Everything', kinds: null },
  {
    value: 'messages',
    label: 'Messages (sent, skipped, failed)',
    kinds: ['queued', 'sent', 'skipped', 'deliveryProblem', 'failed', 'stepRan'],
  },
  { value: 'problems', label: 'Problems only', kinds: ['skipped', 'deliveryProblem', 'failed'] },
  { value: 'plans', label: 'Plan changes', kinds: ['enrolled', 'stateChanged', 'completed'] },
  { value: 'notes', label: 'Notes and tasks', kinds: ['note'] },
  { value: 'profile', label: 'Profile changes', kinds: ['leadCreated', 'leadUpdated'] },
];

export function filterHistory(entries: HistoryEntry[], filter: string): HistoryEntry[] {
  const kinds = HISTORY_FILTERS.find((f) => f.value === filter)?.kinds;
  return kinds ? entries.filter((h) => (kinds as string[]).includes(h.kind)) : entries;
}

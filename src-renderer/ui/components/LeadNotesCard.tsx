import { useState } from 'react';
import type { LeadId } from '@shared/model/ids';
import { DateTime } from 'luxon';
import { Button, Card } from './ui';
import { errorMessage } from '../lib/errors';
import { formatInZone, userZone } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

/** Add a note to the lead's history or a task for yourself; open tasks of the lead with a Done button. */
export function LeadNotesCard({ leadId }: { leadId: LeadId }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const tasks = useEngineQuery('tasks.list', { leadId, status: 'open' }, ['tasks']);
  const [note, setNote] = useState('');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(() => DateTime.now().plus({ days: 1 }).set({ hour: 9, minute: 0 }).toFormat("yyyy-LL-dd'T'HH:mm"));

  async function run(action: () => Promise<unknown>, done: string, reset: () => void) {
    try {
      await action();
      reset();
      toast(done, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  return (
    <Card title="Notes and tasks">
      <form
        className="inline-form"
        aria-label="Add a note"
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            () => client.call('leads.addNote', { leadId, text: note }),
            'Note added',
            () => setNote(''),
          );
        }}
      >
        <label htmlFor="lead-note" className="sr-only">
          Note
        </label>
        <input id="lead-note" value={note} placeholder="Add a note to the history…" onChange={(e) => setNote(e.target.value)} />
        <Button type="submit" disabled={!note.trim()}>
          Add note
        </Button>
      </form>
      <form
        className="inline-form"
        aria-label="Add a task"
        onSubmit={(e) => {
          e.preventDefault();
          const dueAt = DateTime.fromISO(due, { zone: userZone() }).toMillis();
          void run(
            () => client.call('tasks.create', { leadId, title, dueAt }),
            'Task added',
            () => setTitle(''),
          );
        }}
      >
        <label htmlFor="lead-task" className="sr-only">
          Task
        </label>
        <input
          id="lead-task"
          value={title}
          placeholder="A task for you, e.g. Call about pre-approval"
          onChange={(e) => setTitle(e.target.value)}
        />
        <label htmlFor="lead-task-due" className="sr-only">
          Due
        </label>
        <input id="lead-task-due" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        <Button type="submit" disabled={!title.trim() || !due}>
          Add task
        </Button>
      </form>
      {tasks.data?.length ? (
        <ul className="list" aria-label="Open tasks">
          {tasks.data.map((t) => (
            <li key={t.id} className="list-row">
              <span>
                {t.title} <span className="small muted">due {formatInZone(t.dueAt, userZone())}</span>
              </span>
              <Button
                tone="ghost"
                onClick={() =>
                  void run(
                    () => client.call('tasks.complete', { id: t.id }),
                    'Task done',
                    () => undefined,
                  )
                }
              >
                Done
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

import { useState } from 'react';
import type { Role, User } from '@shared/model/team';
import { roleLabel } from '@shared/model/team';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Button, Card, ErrorBanner, Field } from '../../components/ui';
import { errorMessage, fieldIssues } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';
import { PersonDialog } from './PersonDialog';

/** The team's people: managers add, edit and remove them (the engine refuses what would lose work, in words). */
export function PeopleCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const session = useApp((s) => s.session);
  const setSession = useApp((s) => s.setSession);
  const users = session?.users ?? [];
  const me = session?.currentUser.id;
  const [editing, setEditing] = useState<User | null>(null);
  const [toRemove, setToRemove] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(user: User) {
    setToRemove(null);
    try {
      await client.call('team.users.remove', { id: user.id });
      setSession(await client.call('session.get', {}));
      setError(null);
      toast(`${user.name} removed from the team`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="People">
      <ErrorBanner message={error} />
      <table className="table" aria-label="People">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                {u.name}
                {u.id === me ? <span className="small muted"> (you)</span> : null}
              </td>
              <td>{u.email || '—'}</td>
              <td>{roleLabel[u.role]}</td>
              <td>
                <span className="row-actions">
                  <Button tone="ghost" aria-label={`Edit ${u.name}`} onClick={() => setEditing(u)}>
                    Edit
                  </Button>
                  {/* The primary manager and the person signed in are never removed (the engine refuses too). */}
                  {u.role === 'primaryManager' || u.id === me ? null : (
                    <Button tone="ghost" aria-label={`Remove ${u.name}`} onClick={() => setToRemove(u)}>
                      Remove
                    </Button>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="divider" />
      <AddPersonForm />
      <PersonDialog key={editing?.id ?? 'closed'} user={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={toRemove !== null}
        title={`Remove ${toRemove?.name ?? ''} from the team?`}
        body="They can no longer pick their profile here. Nothing they work on is lost: while they still have leads, open tasks, leads running in their personal plans, routing rules or are someone’s preferred lender, the app refuses and says what to hand over first."
        confirmLabel="Remove person"
        onCancel={() => setToRemove(null)}
        onConfirm={() => {
          if (toRemove) void remove(toRemove);
        }}
      />
    </Card>
  );
}

function AddPersonForm() {
  const client = useClient();
  const setSession = useApp((s) => s.setSession);
  const [form, setForm] = useState<{ name: string; email: string; role: Role }>({ name: '', email: '', role: 'agent' });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  async function add() {
    try {
      await client.call('team.users.add', form);
      setSession(await client.call('session.get', {}));
      setForm({ name: '', email: '', role: 'agent' });
      setIssues({});
      setError(null);
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  return (
    <form
      className="form"
      aria-label="Add a person"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h3>Add a person</h3>
      <ErrorBanner message={error} />
      <div className="form-row">
        <Field label="Name" error={issues.name}>
          {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Email" error={issues.email}>
          {(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}
        </Field>
        <Field label="Role">
          {(p) => (
            <select {...p} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              <option value="agent">Agent</option>
              <option value="lender">Lender</option>
              <option value="manager">Manager</option>
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <Button type="submit">Add person</Button>
      </div>
    </form>
  );
}

import { useState } from 'react';
import type { Role, User } from '@shared/model/team';
import { Modal } from '../../components/Modal';
import { Button, ErrorBanner, Field } from '../../components/ui';
import { errorMessage, fieldIssues } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';

/** Edit a person's name, email and role; role changes the engine refuses (with why) show here. */
export function PersonDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Modal open={user !== null} title={user ? `Edit ${user.name}` : 'Edit person'} onClose={onClose}>
      {user ? <PersonForm user={user} onDone={onClose} /> : null}
    </Modal>
  );
}

function PersonForm({ user, onDone }: { user: User; onDone: () => void }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const setSession = useApp((s) => s.setSession);
  const [form, setForm] = useState<{ name: string; email: string; role: Role }>({ name: user.name, email: user.email, role: user.role });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const isPrimary = user.role === 'primaryManager';

  async function save() {
    try {
      const saved = await client.call('team.users.update', { id: user.id, fields: form });
      setSession(await client.call('session.get', {}));
      toast(`${saved.name} saved`, 'success');
      onDone();
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  return (
    <form
      className="form"
      aria-label={`Edit ${user.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ErrorBanner message={error} />
      <Field label="Name" error={issues.name}>
        {(p) => <input {...p} value={form.name} autoFocus onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label="Email" error={issues.email}>
        {(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}
      </Field>
      <Field
        label="Role"
        hint={
          isPrimary
            ? 'A team always has exactly one primary manager, so this role does not change.'
            : 'Managers edit account plans, people and routing; agents work leads; lenders see the leads where they are the lender.'
        }
      >
        {(p) => (
          <select {...p} value={form.role} disabled={isPrimary} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {isPrimary ? <option value="primaryManager">Primary manager</option> : null}
            <option value="manager">Manager</option>
            <option value="agent">Agent</option>
            <option value="lender">Lender</option>
          </select>
        )}
      </Field>
      <div className="dialog-actions">
        <Button onClick={onDone}>Cancel</Button>
        <Button tone="primary" type="submit">
          Save changes
        </Button>
      </div>
    </form>
  );
}

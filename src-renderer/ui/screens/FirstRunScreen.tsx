import { useState } from 'react';
import type { User } from '@shared/model/team';
import { roleLabel } from '@shared/model/team';
import { Button, Card, ErrorBanner, Field } from '../components/ui';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { errorMessage, fieldIssues } from '../lib/errors';
import { userZone } from '../lib/format';
import { switchProfile } from '../lib/profile';
import { useApp, useClient } from '../lib/store';
import { JoinForm } from './team-server/TeamServerSettings';

/**
 * First run: "I work alone" (a one-person account), "Join my team's server" (the team's CouchDB
 * server), or "I'm on a team" (a team file a manager exported, for a team on one computer).
 */
export function FirstRunScreen() {
  const [team, setTeam] = useState<User[] | null>(null);
  return (
    <main className="first-run">
      <h1>Welcome to Action Plans</h1>
      <p className="subtitle">How will you use the app on this computer?</p>
      {team ? (
        <PickProfile users={team} />
      ) : (
        <div className="choice-grid">
          <SoloCard />
          <JoinServerCard />
          <TeamCard onImported={setTeam} />
        </div>
      )}
    </main>
  );
}

function SoloCard() {
  const client = useClient();
  const setSession = useApp((s) => s.setSession);
  const [form, setForm] = useState({ name: '', email: '', timeZone: userZone() });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  async function start() {
    try {
      const me = await client.call('team.setupSolo', form);
      setSession(await switchProfile(client, me.id));
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="I work alone">
      <p className="muted">You become the primary manager of a one-person account and can build your own plans right away.</p>
      <form
        className="form"
        aria-label="I work alone"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <ErrorBanner message={error} />
        <Field label="Your name" error={issues.name}>
          {(p) => <input {...p} value={form.name} autoComplete="name" onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Your email" hint="Shown to your leads as the sender" error={issues.email}>
          {(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}
        </Field>
        <Field label="Your time zone" hint="The daily limits reset at midnight here" error={issues.timeZone}>
          {(p) => <TimeZoneSelect {...p} value={form.timeZone} onChange={(timeZone) => setForm({ ...form, timeZone })} />}
        </Field>
        <div className="form-actions">
          <Button tone="primary" type="submit">
            Start working alone
          </Button>
        </div>
      </form>
    </Card>
  );
}

function JoinServerCard() {
  return (
    <Card title="Join my team’s server">
      <p className="muted">
        Your manager gives you the server’s address, your sign-in and a password. This computer receives the team’s account, plans and your
        leads, and keeps working offline.
      </p>
      <JoinForm firstRun />
    </Card>
  );
}

function TeamCard({ onImported }: { onImported: (users: User[]) => void }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onImported(await client.call('team.importFile', { text: await file.text() }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="I share this computer with my team">
      <p className="muted">
        Import the team file your manager exported (Team → Export team file): it brings the account, its people and roles, settings, account
        plans and routing rules.
      </p>
      <ErrorBanner message={error} />
      <Field label="Team file" hint="A .json file exported from Action Plans">
        {(p) => (
          <input {...p} type="file" accept=".json,application/json" disabled={busy} onChange={(e) => void load(e.target.files?.[0])} />
        )}
      </Field>
    </Card>
  );
}

function PickProfile({ users }: { users: User[] }) {
  const client = useClient();
  const setSession = useApp((s) => s.setSession);
  return (
    <Card title="Who are you?">
      <p className="muted">Pick your profile. You can switch later from the menu at the bottom of the sidebar.</p>
      <ul className="list">
        {users.map((u) => (
          <li key={u.id} className="list-row">
            <span>
              <strong>{u.name}</strong> <span className="muted">{roleLabel[u.role]}</span>
            </span>
            <Button onClick={() => void switchProfile(client, u.id).then(setSession)}>Continue as {u.name}</Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

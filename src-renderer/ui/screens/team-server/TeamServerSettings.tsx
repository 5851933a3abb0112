import { useState } from 'react';
import type { TeamServerStatus } from '@shared/contract/sync';
import { serverAdminSchema, serverSignInSchema } from '@shared/contract/sync';
import { roleLabel } from '@shared/model/team';
import type { User } from '@shared/model/team';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar } from '../../components/ProgressBar';
import { Badge, Button, Card, EmptyState, ErrorBanner, Field } from '../../components/ui';
import { errorMessage, fieldIssues } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import {
  adoptSignedInPerson,
  clockTime,
  defaultDeviceName,
  isConnected,
  STATE_TONE,
  suggestLogin,
  useTeamServer,
  useTeamServerStatus,
} from '../../lib/team-server';
import { useEngineQuery } from '../../lib/use-engine';
import { check, describeDoc, statusOfError } from './forms';
import './team-server.css';

const isManager = (u: User | undefined) => u?.role === 'manager' || u?.role === 'primaryManager';

/**
 * Settings → Team server: join this computer to the team's CouchDB server (or, for a manager, set the
 * team up on one), then its status, problems, conflicts, and sign-ins for the team's people.
 * Without a server everything works on this computer alone, as before.
 */
export function TeamServerSettings() {
  const status = useTeamServerStatus();
  const me = useApp((s) => s.session?.currentUser);
  if (!status) return <p className="loading">Loading…</p>;
  if (!isConnected(status))
    return (
      <div className="grid-2">
        <JoinCard />
        {isManager(me) ? <SetupTeamCard /> : <AboutCard />}
      </div>
    );
  return (
    <div className="grid-2">
      <StatusCard status={status} />
      <ConflictsCard />
      {isManager(me) && status.url ? <InviteCard url={status.url} /> : null}
    </div>
  );
}

/**
 * Joins or sets up, then the status goes to the shared store and the window takes the signed-in
 * person. Joined but with the first sync unfinished counts as joined (the status says where it
 * stands, and it goes on by itself); any other error is the caller's.
 */
function useConnect() {
  const client = useClient();
  const setSession = useApp((s) => s.setSession);
  const toast = useApp((s) => s.toast);
  return async (run: () => Promise<TeamServerStatus>, done: string) => {
    let status: TeamServerStatus;
    try {
      status = await run();
    } catch (err) {
      const pending = statusOfError(err);
      if (!pending) throw err;
      status = pending;
      done = `${done}: the first sync goes on when the server answers`;
    }
    useTeamServer.getState().setStatus(status);
    setSession(await adoptSignedInPerson(client));
    toast(done, 'success');
  };
}

/** The administrator's sign-in a manager gives to set a team up or add a person, used once. */
function AdminFields({
  values,
  issues,
  set,
  hint,
}: {
  values: { adminUser: string; adminPassword: string };
  issues: Record<string, string>;
  set: (patch: { adminUser?: string; adminPassword?: string }) => void;
  hint?: string;
}) {
  return (
    <div className="form-row">
      <Field label="Server administrator" error={issues.adminUser}>
        {(p) => <input {...p} value={values.adminUser} autoComplete="off" onChange={(e) => set({ adminUser: e.target.value })} />}
      </Field>
      <Field label="Administrator password" {...(hint ? { hint } : {})} error={issues.adminPassword}>
        {(p) => (
          <input
            {...p}
            type="password"
            value={values.adminPassword}
            autoComplete="off"
            onChange={(e) => set({ adminPassword: e.target.value })}
          />
        )}
      </Field>
    </div>
  );
}

/** A new sign-in on the server: the manager's own when setting up, a person's when adding them. */
function SignInFields({
  whose,
  values,
  issues,
  set,
  passwordHint,
}: {
  whose: 'Your' | 'Their';
  values: { login: string; password: string };
  issues: Record<string, string>;
  set: (patch: { login?: string; password?: string }) => void;
  passwordHint: string;
}) {
  return (
    <div className="form-row">
      <Field label={`${whose} sign-in name`} error={issues.login}>
        {(p) => (
          <input
            {...p}
            value={values.login}
            autoComplete={whose === 'Your' ? 'username' : 'off'}
            onChange={(e) => set({ login: e.target.value })}
          />
        )}
      </Field>
      <Field label={`${whose} password`} hint={passwordHint} error={issues.password}>
        {(p) => (
          <input
            {...p}
            type="password"
            value={values.password}
            autoComplete="new-password"
            onChange={(e) => set({ password: e.target.value })}
          />
        )}
      </Field>
    </div>
  );
}

/** What setting up and adding a person check before anything is sent. */
const newSignInSchema = serverAdminSchema.extend({ login: serverSignInSchema.shape.user, password: serverSignInSchema.shape.password });

/** The address, sign-in and password a person types to join their team's server (also on the first-run screen). */
export function JoinForm({ firstRun = false }: { firstRun?: boolean }) {
  const client = useClient();
  // On the first run the profile is a placeholder: the computer has no person's name yet.
  const me = useApp((s) => (firstRun ? undefined : s.session?.currentUser));
  const join = useConnect();
  const [form, setForm] = useState({ url: 'http://', user: '', password: '', deviceName: defaultDeviceName(me?.name) });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [tested, setTested] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<'test' | 'connect' | null>(null);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const status = useTeamServerStatus();

  function valid(): boolean {
    const found = check(serverSignInSchema, form);
    setIssues(found);
    return Object.keys(found).length === 0;
  }

  async function test() {
    if (!valid()) return;
    setBusy('test');
    setTested(null);
    try {
      const answer = await client.call('sync.test', form);
      setTested({ ok: true, text: answer.message });
    } catch (err) {
      setTested({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  }

  async function connect() {
    if (!valid()) return;
    setBusy('connect');
    setError(null);
    try {
      await join(() => client.call('sync.connect', form), 'Connected to the team server');
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      className="form"
      aria-label="Join the team server"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void connect();
      }}
    >
      <ErrorBanner message={error} />
      <Field label="Server address" hint="From your manager, e.g. http://192.168.1.20:5984" error={issues.url}>
        {(p) => <input {...p} type="url" value={form.url} autoComplete="url" onChange={(e) => set({ url: e.target.value })} />}
      </Field>
      <div className="form-row">
        <Field label="Sign-in name" error={issues.user}>
          {(p) => <input {...p} value={form.user} autoComplete="username" onChange={(e) => set({ user: e.target.value })} />}
        </Field>
        <Field label="Password" hint="Kept in the system keychain, never in the app’s data" error={issues.password}>
          {(p) => (
            <input
              {...p}
              type="password"
              value={form.password}
              autoComplete="current-password"
              onChange={(e) => set({ password: e.target.value })}
            />
          )}
        </Field>
      </div>
      <Field label="This computer’s name" hint="How the team sees which computer runs a plan" error={issues.deviceName}>
        {(p) => <input {...p} value={form.deviceName} onChange={(e) => set({ deviceName: e.target.value })} />}
      </Field>
      {tested ? (
        <div className={`banner ${tested.ok ? 'banner-success' : 'banner-error'}`} role="status">
          {tested.text}
        </div>
      ) : null}
      {busy === 'connect' && status ? <SyncProgress status={status} /> : null}
      <div className="form-actions">
        <Button onClick={() => void test()} disabled={busy !== null}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </Button>
        <Button tone="primary" type="submit" disabled={busy !== null}>
          {busy === 'connect' ? 'Connecting…' : 'Connect'}
        </Button>
      </div>
    </form>
  );
}

function JoinCard() {
  return (
    <Card title="Join your team’s server">
      <p className="muted">
        Your manager gives you the server’s address, your sign-in and a password. This computer then receives the team’s account, people and
        plans, and the leads you work on. Everything keeps working offline and catches up when the network returns.
      </p>
      <JoinForm />
    </Card>
  );
}

function AboutCard() {
  return (
    <Card title="Without a team server">
      <p className="muted">
        Everything works on this computer alone, as it does now: your leads, plans and messages stay here. A team server lets each person of
        the team work on their own computer, with the leads routed to them. Ask your manager to set one up.
      </p>
    </Card>
  );
}

/** A manager puts the team on a CouchDB server with its administrator's sign-in, used once and never stored. */
function SetupTeamCard() {
  const client = useClient();
  const me = useApp((s) => s.session?.currentUser);
  const join = useConnect();
  const [form, setForm] = useState({
    url: 'http://',
    adminUser: 'admin',
    adminPassword: '',
    login: suggestLogin(me?.name ?? ''),
    password: '',
    deviceName: defaultDeviceName(me?.name),
  });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  async function setUp() {
    const found = check(newSignInSchema, form);
    setIssues(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError(null);
    try {
      await join(() => client.call('sync.setupTeam', form), 'The team is on the server: give each person a sign-in');
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Set up a new team server">
      <p className="muted">
        For a manager with an Apache CouchDB 3 server (see the README for a one-command start). The app creates the team’s databases, who
        may read and write them, the server’s own checks and your sign-in, then sends this computer’s account, plans and leads.
      </p>
      <form
        className="form"
        aria-label="Set up a new team server"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void setUp();
        }}
      >
        <ErrorBanner message={error} />
        <Field label="Server address" hint="e.g. http://192.168.1.20:5984" error={issues.url}>
          {(p) => <input {...p} type="url" value={form.url} onChange={(e) => set({ url: e.target.value })} />}
        </Field>
        <AdminFields values={form} issues={issues} set={set} hint="Used for this once, never stored" />
        <SignInFields whose="Your" values={form} issues={issues} set={set} passwordHint="For this and your other computers" />
        <Field label="This computer’s name" error={issues.deviceName}>
          {(p) => <input {...p} value={form.deviceName} onChange={(e) => set({ deviceName: e.target.value })} />}
        </Field>
        <div className="form-actions">
          <Button tone="primary" type="submit" disabled={busy}>
            {busy ? 'Setting up…' : 'Set up the team'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

const STATE_LABEL: Record<TeamServerStatus['state'], string> = {
  off: 'Not connected',
  firstSync: 'First sync',
  syncing: 'Syncing',
  synced: 'Synced',
  offline: 'Offline',
  signInRefused: 'Sign-in refused',
};

function StatusCard({ status }: { status: TeamServerStatus }) {
  const client = useClient();
  const setStatus = useTeamServer((s) => s.setStatus);
  const session = useApp((s) => s.session);
  const setSession = useApp((s) => s.setSession);
  const toast = useApp((s) => s.toast);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tone = STATE_TONE[status.state];

  async function run(call: () => Promise<TeamServerStatus>, done?: string) {
    setBusy(true);
    setError(null);
    try {
      setStatus(await call());
      if (done) toast(done, 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function disconnect() {
    setConfirming(false);
    await run(() => client.call('sync.disconnect', {}), 'This computer no longer syncs with the team server');
    // Back to this computer's own profiles.
    if (session) setSession(await client.call('session.get', {}));
  }

  return (
    <Card title="Team server" actions={<Badge tone={tone === 'grey' ? 'neutral' : tone}>{STATE_LABEL[status.state]}</Badge>}>
      <p className="sync-message" role="status" aria-live="polite">
        <span className={`dot dot-${tone}`} aria-hidden="true" />
        {status.message}
      </p>
      <SyncProgress status={status} />
      <ErrorBanner message={error} />
      <dl className="sync-facts">
        <dt>Server</dt>
        <dd>{status.url}</dd>
        <dt>Signed in as</dt>
        <dd>
          {status.user}
          {status.role ? <span className="muted"> · {roleLabel[status.role]}</span> : null}
        </dd>
        <dt>This computer</dt>
        <dd>{status.deviceName}</dd>
        <dt>Last sync</dt>
        <dd>{status.lastSyncAt ? formatDateTime(status.lastSyncAt) : 'Not yet'}</dd>
        <dt>Waiting here</dt>
        <dd>{status.waiting === 0 ? 'Nothing: the server has every change' : `${status.waiting.toLocaleString()} changes`}</dd>
      </dl>
      {status.problems.length > 0 ? (
        <section className="sync-problems" aria-label="Problems">
          <h3>Problems ({status.problems.length})</h3>
          <p className="small muted">Nothing on this computer was changed by them: fix what a line names, or ask your manager.</p>
          <ul className="list">
            {status.problems.map((p) => {
              const doc = describeDoc(p.docId);
              return (
                <li key={p.docId} className="list-row sync-problem">
                  <span>
                    <strong>{doc.what}</strong> {p.reason}
                    {doc.key ? <span className="small muted"> ({doc.key})</span> : null}
                  </span>
                  <span className="small muted">{clockTime(p.at)}</span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      <div className="form-actions">
        <Button tone="primary" onClick={() => void run(() => client.call('sync.now', {}), 'Synced')} disabled={busy}>
          {busy ? 'Syncing…' : 'Sync now'}
        </Button>
        <Button tone="danger" onClick={() => setConfirming(true)} disabled={busy}>
          Disconnect…
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Disconnect this computer?"
        body={`The leads and plans on this computer stay here, and the team keeps everything on the server. ${
          status.waiting > 0
            ? `${status.waiting} changes made here have not reached the server yet and will wait until you connect again. `
            : ''
        }Plans that run on this computer stop sending until you connect again.`}
        confirmLabel="Disconnect"
        onConfirm={() => void disconnect()}
        onCancel={() => setConfirming(false)}
      />
    </Card>
  );
}

/** How far the first sync (or a long catch-up) is: records sent, received, stored. */
function SyncProgress({ status }: { status: TeamServerStatus }) {
  const progress = status.progress;
  if (!progress) return null;
  const phase = { sending: 'Sending', receiving: 'Receiving', applying: 'Storing' }[progress.phase];
  return progress.total ? (
    <ProgressBar done={Math.min(progress.done, progress.total)} total={progress.total} label={`${phase} the team’s records`} />
  ) : (
    <p className="small muted" role="status">
      {phase} the team’s records… {progress.done.toLocaleString()} so far
    </p>
  );
}

function ConflictsCard() {
  const conflicts = useEngineQuery('sync.conflicts', { limit: 100 }, ['syncConflicts']);
  return (
    <Card title="Conflicts">
      <p className="muted">
        When two people change the same record before their computers sync, the team’s rule settles it (see the README). Each one is listed
        here, and the lead’s history keeps what lost.
      </p>
      {conflicts.loading ? (
        <p className="loading">Loading…</p>
      ) : conflicts.error ? (
        <ErrorBanner message={conflicts.error} />
      ) : conflicts.data?.length ? (
        <ul className="list">
          {conflicts.data.map((c) => (
            <li key={c.id} className="list-row">
              <span>{c.summary}</span>
              <span className="small muted">{formatDateTime(c.at)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No conflicts">Every change so far reached the others before anyone changed the same record.</EmptyState>
      )}
    </Card>
  );
}

/** A manager gives a person of the team their sign-in on the server (their own database and its checks). */
function InviteCard({ url }: { url: string }) {
  const client = useClient();
  const session = useApp((s) => s.session);
  const people = (session?.users ?? []).filter((u) => u.id !== session?.currentUser.id);
  const [userId, setUserId] = useState<string>('');
  const person = people.find((u) => u.id === userId);
  const [form, setForm] = useState({ login: '', password: '', adminUser: 'admin', adminPassword: '' });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [given, setGiven] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  async function invite() {
    const found = check(newSignInSchema, { ...form, url });
    if (!person) found.userId = 'Pick the person';
    setIssues(found);
    if (Object.keys(found).length || !person) return;
    setBusy(true);
    setError(null);
    setGiven(null);
    try {
      const { login } = await client.call('sync.invite', { ...form, url, userId: person.id });
      setGiven(`${person.name} can now join from their computer: server ${url}, sign-in “${login}” and the password you chose.`);
      setForm({ ...form, login: '', password: '' });
      setUserId('');
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Give a person a sign-in">
      {people.length === 0 ? (
        <EmptyState title="No one else on the team yet">Add people on the Team screen, then give each a sign-in here.</EmptyState>
      ) : (
        <form
          className="form"
          aria-label="Give a person a sign-in"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void invite();
          }}
        >
          <p className="muted">
            Each person signs in with their own name and password; the server gives them only what their role allows. The administrator’s
            password is used for this once, never stored.
          </p>
          <ErrorBanner message={error} />
          {given ? (
            <div className="banner banner-success" role="status">
              {given}
            </div>
          ) : null}
          <Field label="Person" error={issues.userId}>
            {(p) => (
              <select
                {...p}
                value={userId}
                onChange={(e) => {
                  setUserId(e.target.value);
                  const u = people.find((x) => x.id === e.target.value);
                  if (u) set({ login: suggestLogin(u.name) });
                }}
              >
                <option value="">Choose…</option>
                {people.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({roleLabel[u.role]})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SignInFields whose="Their" values={form} issues={issues} set={set} passwordHint="Tell them in person" />
          <AdminFields values={form} issues={issues} set={set} />
          <div className="form-actions">
            <Button tone="primary" type="submit" disabled={busy}>
              {busy ? 'Giving the sign-in…' : 'Give the sign-in'}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}

import { useState } from 'react';
import type { EmailAccount, EmailAccountInput } from '@shared/model/email-account';
import { suggestLimits, suggestPreset } from '@shared/model/send-limits';
import { SendingLimitsFields } from '../components/SendingLimitsFields';
import { SmsPaceCard } from '../components/SmsPaceCard';
import { Button, Card, ErrorBanner, Field, PageHeader } from '../components/ui';
import { errorMessage, fieldIssues } from '../lib/errors';
import type { SettingsTab } from '../lib/store';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { ImapCard, NotificationsCard, SmsCard, WebhookDefaultsCard } from './ChannelSettings';
import { TeamServerSettings } from './team-server/TeamServerSettings';

const defaults: EmailAccountInput = { host: '', port: 587, security: 'starttls', user: '', fromName: '', fromEmail: '' };

function withoutSecret({ passwordSecret: _secret, ...fields }: EmailAccount): EmailAccountInput {
  return fields;
}

const TABS: { id: SettingsTab; label: string; subtitle: string }[] = [
  { id: 'channels', label: 'Email & messages', subtitle: 'Your email account, replies, text messages, webhooks and sending' },
  { id: 'teamServer', label: 'Team server', subtitle: 'Share plans and leads with your team across computers' },
];

export function SettingsScreen({ tab = 'channels' }: { tab?: SettingsTab }) {
  const navigate = useApp((s) => s.navigate);
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]!;
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle={current.subtitle} />
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`settings-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`settings-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => navigate({ screen: 'settings', tab: t.id })}
            onKeyDown={(e) => {
              const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!by) return;
              e.preventDefault();
              const next = TABS[(i + by + TABS.length) % TABS.length]!;
              navigate({ screen: 'settings', tab: next.id });
              requestAnimationFrame(() => document.getElementById(`settings-tab-${next.id}`)?.focus());
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`settings-panel-${current.id}`} aria-labelledby={`settings-tab-${current.id}`}>
        {current.id === 'teamServer' ? (
          <TeamServerSettings />
        ) : (
          <div className="grid-2">
            <EmailAccountCard />
            <SendingCard />
            <SmsPaceCard />
            <ImapCard />
            <SmsCard />
            <WebhookDefaultsCard />
            <NotificationsCard />
          </div>
        )}
      </div>
    </div>
  );
}

function EmailAccountCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const saved = useEngineQuery('settings.emailAccount.get', {}, ['settings']);
  // `edited` is what the user typed; until then the form shows what is saved (never overwritten while typing).
  const [edited, setForm] = useState<EmailAccountInput | null>(null);
  const form: EmailAccountInput = edited ?? (saved.data ? withoutSecret(saved.data) : defaults);
  const [password, setPassword] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [testTo, setTestTo] = useState('');
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<EmailAccountInput>) => setForm({ ...form, ...patch });
  // Until the user picks limits, they follow the SMTP server typed in (issue 11).
  const limits = form.limits ?? suggestLimits(form.host, form.fromEmail);

  async function save() {
    setBusy(true);
    try {
      const account = { ...form, limits };
      await client.call('settings.emailAccount.save', password ? { ...account, password } : account);
      setPassword('');
      setIssues({});
      setError(null);
      toast('Email account saved', 'success');
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function sendTest() {
    setBusy(true);
    setTestResult(null);
    try {
      const r = await client.call('settings.emailAccount.sendTest', { to: testTo });
      setTestResult({ ok: true, text: `Sent. The server answered: ${r.response}` });
    } catch (err) {
      setTestResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  // Typing into an empty form before the saved account arrives would save blanks over it.
  if (saved.loading)
    return (
      <Card title="Email account (SMTP)">
        <p className="loading">Loading…</p>
      </Card>
    );
  return (
    <Card title="Email account (SMTP)">
      <p className="muted">Plan emails leave through your own mailbox. For Gmail or Microsoft 365, use an app password.</p>
      <ErrorBanner message={error} />
      <form
        className="form"
        aria-label="Email account"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-row">
          <Field label="SMTP server" error={issues.host}>
            {(p) => <input {...p} value={form.host} placeholder="smtp.gmail.com" onChange={(e) => set({ host: e.target.value })} />}
          </Field>
          <Field label="Port" error={issues.port}>
            {(p) => <input {...p} type="number" value={form.port} onChange={(e) => set({ port: Number(e.target.value) })} />}
          </Field>
        </div>
        <Field label="Security" hint="STARTTLS on port 587 is the usual choice; TLS on 465">
          {(p) => (
            <select {...p} value={form.security} onChange={(e) => set({ security: e.target.value as EmailAccountInput['security'] })}>
              <option value="starttls">STARTTLS</option>
              <option value="tls">TLS</option>
              <option value="none">None (local servers only)</option>
            </select>
          )}
        </Field>
        <div className="form-row">
          <Field label="User name" error={issues.user}>
            {(p) => <input {...p} autoComplete="username" value={form.user} onChange={(e) => set({ user: e.target.value })} />}
          </Field>
          <Field
            label="Password"
            hint={
              saved.data?.passwordSecret
                ? 'Saved securely. Type a new one to change it.'
                : 'Stored in the system keychain, never in the app database'
            }
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form-row">
          <Field label="From name" error={issues.fromName}>
            {(p) => <input {...p} value={form.fromName} placeholder="Jane Agent" onChange={(e) => set({ fromName: e.target.value })} />}
          </Field>
          <Field label="From address" error={issues.fromEmail}>
            {(p) => (
              <input
                {...p}
                type="email"
                value={form.fromEmail}
                placeholder="jane@example.com"
                onChange={(e) => set({ fromEmail: e.target.value })}
              />
            )}
          </Field>
        </div>
        <SendingLimitsFields
          value={limits}
          suggested={suggestPreset(form.host, form.fromEmail)}
          issues={issues}
          onChange={(l) => set({ limits: l })}
        />
        <div className="form-actions">
          <Button tone="primary" type="submit" disabled={busy}>
            Save email account
          </Button>
        </div>
      </form>
      <div className="divider" />
      <div className="inline-form">
        <label htmlFor="test-to">Send a test email to</label>
        <input id="test-to" type="email" value={testTo} placeholder="you@example.com" onChange={(e) => setTestTo(e.target.value)} />
        <Button disabled={busy || !testTo || !saved.data} onClick={() => void sendTest()}>
          Send test email
        </Button>
      </div>
      {testResult ? (
        <div className={`banner ${testResult.ok ? 'banner-success' : 'banner-error'}`} role="status">
          {testResult.text}
        </div>
      ) : null}
    </Card>
  );
}

function SendingCard() {
  const client = useClient();
  const sending = useEngineQuery('settings.sending.get', {}, ['settings']);
  const paused = sending.data?.paused ?? false;
  return (
    <Card title="Sending">
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          checked={paused}
          onChange={(e) => void client.call('settings.sending.set', { paused: e.target.checked })}
        />
        <span>Pause all sending</span>
      </label>
      <p className="muted">
        {paused
          ? 'Nothing leaves the app. Plan steps keep running and their messages wait in the outbox; they go out when you turn this off.'
          : 'Messages go out as plans schedule them.'}
      </p>
    </Card>
  );
}

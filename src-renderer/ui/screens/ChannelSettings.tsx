import { useState } from 'react';
import type { ImapAccount, ImapAccountInput, SmsGateway, SmsGatewayInput, WebhookDefaults } from '@shared/model/channels';
import { Button, Card, ErrorBanner, Field } from '../components/ui';
import { errorMessage, fieldIssues } from '../lib/errors';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import './channels.css';

type Result = { ok: boolean; text: string } | null;

/** Save / test plumbing shared by the channel cards: busy flag, inline issues, the server's answer in words. */
function useCardActions() {
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);
  const [busy, setBusy] = useState(false);
  const toast = useApp((s) => s.toast);
  async function save(run: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true);
    try {
      await run();
      setIssues({});
      setError(null);
      toast(done, 'success');
      return true;
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  async function test(run: () => Promise<{ response: string }>) {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: true, text: (await run()).response });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }
  return { issues, error, result, busy, save, test };
}

function TestResult({ result }: { result: Result }) {
  if (!result) return null;
  return (
    <div className={`banner ${result.ok ? 'banner-success' : 'banner-error'}`} role="status">
      {result.text}
    </div>
  );
}

const imapDefaults: ImapAccountInput = { host: '', port: 993, tls: true, user: '', folder: 'INBOX', pollSeconds: 60, enabled: true };

function imapForm({ passwordSecret: _secret, ...fields }: ImapAccount): ImapAccountInput {
  return fields;
}

export function ImapCard() {
  const client = useClient();
  const saved = useEngineQuery('settings.imap.get', {}, ['settings']);
  const [edited, setForm] = useState<ImapAccountInput | null>(null);
  const form = edited ?? (saved.data ? imapForm(saved.data) : imapDefaults);
  const [password, setPassword] = useState('');
  const a = useCardActions();
  const set = (patch: Partial<ImapAccountInput>) => setForm({ ...form, ...patch });
  if (saved.loading) return <Card title="Replies (IMAP)">{<p className="loading">Loading…</p>}</Card>;
  return (
    <Card title="Replies (IMAP)">
      <p className="muted">
        The app watches this mailbox for replies from leads. A reply pauses plans set to pause on reply, within a minute.
      </p>
      <ErrorBanner message={a.error} />
      <form
        className="form channel-form"
        aria-label="Reply mailbox"
        onSubmit={(e) => {
          e.preventDefault();
          void a
            .save(() => client.call('settings.imap.save', password ? { ...form, password } : form), 'Reply mailbox saved')
            .then((ok) => ok && setPassword(''));
        }}
      >
        <div className="form-row">
          <Field label="IMAP server" error={a.issues.host}>
            {(p) => <input {...p} value={form.host} placeholder="imap.gmail.com" onChange={(e) => set({ host: e.target.value })} />}
          </Field>
          <Field label="IMAP port" error={a.issues.port}>
            {(p) => <input {...p} type="number" value={form.port} onChange={(e) => set({ port: Number(e.target.value) })} />}
          </Field>
        </div>
        <label className="switch-row">
          <input type="checkbox" checked={form.tls} onChange={(e) => set({ tls: e.target.checked, port: e.target.checked ? 993 : 143 })} />
          <span>Use TLS (port 993); without it the app still upgrades with STARTTLS when offered</span>
        </label>
        <div className="form-row">
          <Field label="Mailbox user" error={a.issues.user}>
            {(p) => <input {...p} autoComplete="username" value={form.user} onChange={(e) => set({ user: e.target.value })} />}
          </Field>
          <Field
            label="Mailbox password"
            hint={saved.data?.passwordSecret ? 'Saved securely. Type a new one to change it.' : 'Stored in the system keychain'}
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
          <Field label="Folder" error={a.issues.folder}>
            {(p) => <input {...p} value={form.folder} onChange={(e) => set({ folder: e.target.value })} />}
          </Field>
          <Field label="Check every (seconds)" hint="10 to 60" error={a.issues.pollSeconds}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={10}
                max={60}
                value={form.pollSeconds}
                onChange={(e) => set({ pollSeconds: Number(e.target.value) })}
              />
            )}
          </Field>
        </div>
        <label className="switch-row">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          <span>Watch this mailbox for replies</span>
        </label>
        <div className="form-actions">
          <Button tone="primary" type="submit" disabled={a.busy}>
            Save reply mailbox
          </Button>
          <Button disabled={a.busy || !saved.data} onClick={() => void a.test(() => client.call('settings.imap.test', {}))}>
            Test IMAP connection
          </Button>
          <Button
            tone="ghost"
            disabled={a.busy || !saved.data}
            onClick={() =>
              void a.test(async () => {
                const r = await client.call('replies.checkNow', {});
                return {
                  response: r.problems[0] ?? `Read ${r.read} new message${r.read === 1 ? '' : 's'}; ${r.replies} counted as replies.`,
                };
              })
            }
          >
            Check for replies now
          </Button>
        </div>
      </form>
      <TestResult result={a.result} />
    </Card>
  );
}

type SmsForm = {
  preset: 'twilio' | 'generic';
  accountSid: string;
  baseUrl: string;
  url: string;
  method: 'POST' | 'PUT' | 'GET';
  bodyTemplate: string;
  contentType: string;
  fromNumber: string;
};

const smsDefaults: SmsForm = {
  preset: 'twilio',
  accountSid: '',
  baseUrl: 'https://api.twilio.com',
  url: '',
  method: 'POST',
  bodyTemplate: '{"to":"{{to}}","from":"{{from}}","body":"{{body}}"}',
  contentType: 'application/json',
  fromNumber: '',
};

function smsForm({ authTokenSecret: _secret, ...g }: SmsGateway): SmsForm {
  return { ...smsDefaults, ...g };
}

function smsInput(f: SmsForm, authToken: string): SmsGatewayInput {
  const token = authToken ? { authToken } : {};
  return f.preset === 'twilio'
    ? { preset: 'twilio', accountSid: f.accountSid, fromNumber: f.fromNumber, baseUrl: f.baseUrl, ...token }
    : {
        preset: 'generic',
        url: f.url,
        method: f.method,
        bodyTemplate: f.bodyTemplate,
        contentType: f.contentType,
        fromNumber: f.fromNumber,
        ...token,
      };
}

export function SmsCard() {
  const client = useClient();
  const saved = useEngineQuery('settings.sms.get', {}, ['settings']);
  const [edited, setForm] = useState<SmsForm | null>(null);
  const form = edited ?? (saved.data ? smsForm(saved.data) : smsDefaults);
  const [token, setToken] = useState('');
  const a = useCardActions();
  const set = (patch: Partial<SmsForm>) => setForm({ ...form, ...patch });
  if (saved.loading) return <Card title="Text messages (SMS gateway)">{<p className="loading">Loading…</p>}</Card>;
  return (
    <Card title="Text messages (SMS gateway)">
      <p className="muted">
        SMS steps go out through your provider. Replies and STOP come back through it when it offers an inbox API (Twilio-compatible).
      </p>
      <ErrorBanner message={a.error} />
      <form
        className="form channel-form"
        aria-label="SMS gateway"
        onSubmit={(e) => {
          e.preventDefault();
          void a.save(() => client.call('settings.sms.save', smsInput(form, token)), 'SMS gateway saved').then((ok) => ok && setToken(''));
        }}
      >
        <Field label="Provider">
          {(p) => (
            <select {...p} value={form.preset} onChange={(e) => set({ preset: e.target.value as SmsForm['preset'] })}>
              <option value="twilio">Twilio-compatible (Messages API)</option>
              <option value="generic">Other provider (URL and body template)</option>
            </select>
          )}
        </Field>
        {form.preset === 'twilio' ? (
          <div className="form-row">
            <Field label="Account SID" error={a.issues.accountSid}>
              {(p) => <input {...p} value={form.accountSid} placeholder="AC…" onChange={(e) => set({ accountSid: e.target.value })} />}
            </Field>
            <Field label="API base URL" hint="Change only for a compatible provider or a test server" error={a.issues.baseUrl}>
              {(p) => <input {...p} value={form.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} />}
            </Field>
          </div>
        ) : (
          <>
            <div className="form-row">
              <Field label="Gateway URL" error={a.issues.url}>
                {(p) => (
                  <input
                    {...p}
                    value={form.url}
                    placeholder="https://sms.example.com/send"
                    onChange={(e) => set({ url: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Method">
                {(p) => (
                  <select {...p} value={form.method} onChange={(e) => set({ method: e.target.value as SmsForm['method'] })}>
                    <option>POST</option>
                    <option>PUT</option>
                    <option>GET</option>
                  </select>
                )}
              </Field>
            </div>
            <Field label="Body template" hint="{{to}}, {{from}} and {{body}} are filled in" error={a.issues.bodyTemplate}>
              {(p) => <textarea {...p} rows={3} value={form.bodyTemplate} onChange={(e) => set({ bodyTemplate: e.target.value })} />}
            </Field>
          </>
        )}
        <div className="form-row">
          <Field label="From number" hint="E.164, e.g. +14155550100" error={a.issues.fromNumber}>
            {(p) => <input {...p} type="tel" value={form.fromNumber} onChange={(e) => set({ fromNumber: e.target.value })} />}
          </Field>
          <Field
            label="Auth token"
            hint={saved.data?.authTokenSecret ? 'Saved securely. Type a new one to change it.' : 'Stored in the system keychain'}
          >
            {(p) => <input {...p} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />}
          </Field>
        </div>
        <div className="form-actions">
          <Button tone="primary" type="submit" disabled={a.busy}>
            Save SMS gateway
          </Button>
          <Button disabled={a.busy || !saved.data} onClick={() => void a.test(() => client.call('settings.sms.test', {}))}>
            Test SMS connection
          </Button>
        </div>
      </form>
      <TestResult result={a.result} />
    </Card>
  );
}

type HeaderRow = { name: string; value: string; secret: boolean };

function headerRows(d: WebhookDefaults): HeaderRow[] {
  return d.headers.map((h) => (h.secret ? { name: h.name, value: '', secret: true } : { name: h.name, value: h.value, secret: false }));
}

export function WebhookDefaultsCard() {
  const client = useClient();
  const saved = useEngineQuery('settings.webhooks.get', {}, ['settings']);
  const [edited, setForm] = useState<{ timeoutSeconds: number; headers: HeaderRow[] } | null>(null);
  const form =
    edited ??
    (saved.data ? { timeoutSeconds: saved.data.timeoutSeconds, headers: headerRows(saved.data) } : { timeoutSeconds: 10, headers: [] });
  const a = useCardActions();
  const [testUrl, setTestUrl] = useState('');
  const setHeader = (i: number, patch: Partial<HeaderRow>) =>
    setForm({ ...form, headers: form.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)) });
  if (saved.loading) return <Card title="Webhooks">{<p className="loading">Loading…</p>}</Card>;
  return (
    <Card title="Webhooks">
      <p className="muted">
        Every webhook step waits this long for an answer and sends these headers. Secret values are kept in the system keychain and masked
        in the monitor.
      </p>
      <ErrorBanner message={a.error} />
      <form
        className="form channel-form"
        aria-label="Webhook defaults"
        onSubmit={(e) => {
          e.preventDefault();
          void a.save(() => client.call('settings.webhooks.save', form), 'Webhook defaults saved').then((ok) => ok && setForm(null));
        }}
      >
        <Field label="Timeout (seconds)" error={a.issues.timeoutSeconds}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={120}
              value={form.timeoutSeconds}
              onChange={(e) => setForm({ ...form, timeoutSeconds: Number(e.target.value) })}
            />
          )}
        </Field>
        {form.headers.length === 0 ? <p className="muted small">No default headers.</p> : null}
        {form.headers.map((h, i) => (
          <div className="header-row" key={i}>
            <Field label={`Header ${i + 1} name`} error={a.issues[`headers.${i}.name`]}>
              {(p) => <input {...p} value={h.name} placeholder="X-Api-Key" onChange={(e) => setHeader(i, { name: e.target.value })} />}
            </Field>
            <Field
              label={`Header ${i + 1} value`}
              hint={h.secret && !h.value ? 'Saved securely; type to replace' : undefined}
              error={a.issues[`headers.${i}.value`]}
            >
              {(p) => (
                <input
                  {...p}
                  type={h.secret ? 'password' : 'text'}
                  value={h.value}
                  onChange={(e) => setHeader(i, { value: e.target.value })}
                />
              )}
            </Field>
            <label className="switch-row">
              <input type="checkbox" checked={h.secret} onChange={(e) => setHeader(i, { secret: e.target.checked })} />
              <span>Secret</span>
            </label>
            <Button
              tone="ghost"
              aria-label={`Remove header ${i + 1}`}
              onClick={() => setForm({ ...form, headers: form.headers.filter((_, j) => j !== i) })}
            >
              Remove
            </Button>
          </div>
        ))}
        <div className="form-actions">
          <Button onClick={() => setForm({ ...form, headers: [...form.headers, { name: '', value: '', secret: false }] })}>
            Add header
          </Button>
          <Button tone="primary" type="submit" disabled={a.busy}>
            Save webhook defaults
          </Button>
        </div>
      </form>
      <div className="divider" />
      <div className="inline-form">
        <label htmlFor="webhook-test-url">Send a test webhook to</label>
        <input
          id="webhook-test-url"
          type="url"
          value={testUrl}
          placeholder="https://hooks.zapier.com/…"
          onChange={(e) => setTestUrl(e.target.value)}
        />
        <Button disabled={a.busy || !testUrl} onClick={() => void a.test(() => client.call('settings.webhooks.test', { url: testUrl }))}>
          Send test webhook
        </Button>
      </div>
      <TestResult result={a.result} />
    </Card>
  );
}

/** Web mode asks the browser for permission to show notifications (a click is required to ask). */
export function NotificationsCard() {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  const words: Record<string, string> = {
    granted:
      'Desktop notifications are on: failures, replies and steps marked "notify me" show up even when this window is in the background.',
    denied:
      'Notifications are blocked for this page; the app shows them inside the window instead. Allow them in the browser’s site settings.',
    default: 'Turn on desktop notifications to hear about failures, replies and "notify me" steps when this window is in the background.',
  };
  return (
    <Card title="Notifications">
      <p className="muted">{words[permission] ?? words.default}</p>
      {supported && permission === 'default' ? (
        <Button onClick={() => void Notification.requestPermission().then(setPermission)}>Allow desktop notifications</Button>
      ) : null}
    </Card>
  );
}

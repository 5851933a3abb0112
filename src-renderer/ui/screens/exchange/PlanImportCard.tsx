import { useState } from 'react';
import type { PlanImportPreview, PlanImportResult } from '@shared/contract/exchange';
import type { ConflictAction } from '@shared/exchange/plan-file';
import { PLAN_FILE_MAX_BYTES } from '@shared/exchange/plan-file';
import { DropZone } from '../../components/DropZone';
import { Badge, Button, Card, ErrorBanner } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { readFileText } from '../../lib/files';
import { useApp, useClient } from '../../lib/store';

type Scope = 'personal' | 'account';
type Vocab = 'tags' | 'stages' | 'sources';
const VOCAB_LABEL: Record<Vocab, string> = { tags: 'Tag', stages: 'Stage', sources: 'Source' };
const CREATE = '\u0000create';

interface Loaded {
  name: string;
  text: string;
  preview: PlanImportPreview;
}

/** Import wizard: choose a file → preview and mapping → import. Nothing is written before the last step. */
export function PlanImportCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const me = useApp((s) => s.session?.currentUser);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [scope, setScope] = useState<Scope>('personal');
  const [locked, setLocked] = useState(false);
  const [conflicts, setConflicts] = useState<Record<string, ConflictAction>>({});
  const [names, setNames] = useState<Record<Vocab, Record<string, string>>>({ tags: {}, stages: {}, sources: {} });
  const [users, setUsers] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PlanImportResult | null>(null);

  async function preview(name: string, text: string, as: Scope) {
    setBusy(true);
    setError(null);
    try {
      const p = await client.call('exchange.plans.preview', { text, as });
      setLoaded({ name, text, preview: p });
      setConflicts(
        Object.fromEntries(p.plans.filter((x) => x.conflict).map((x) => [x.key, { action: 'rename', name: `${x.name} (imported)` }])),
      );
      setUsers(Object.fromEntries(p.users.map((u) => [u.name, u.match ?? me?.id ?? ''])));
    } catch (err) {
      setLoaded(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function onFile(file: File) {
    setResult(null);
    if (file.size > PLAN_FILE_MAX_BYTES) {
      setError(`“${file.name}” is too large for a plan file (over ${PLAN_FILE_MAX_BYTES / 1024 / 1024} MB).`);
      return;
    }
    await preview(file.name, await readFileText(file), scope);
  }

  async function doImport() {
    if (!loaded) return;
    setBusy(true);
    setError(null);
    try {
      const mapping = {
        conflicts,
        users,
        tags: Object.fromEntries(Object.entries(names.tags).filter(([, v]) => v !== CREATE)),
        stages: Object.fromEntries(Object.entries(names.stages).filter(([, v]) => v !== CREATE)),
        sources: Object.fromEntries(Object.entries(names.sources).filter(([, v]) => v !== CREATE)),
      };
      const r = await client.call('exchange.plans.import', { text: loaded.text, as: scope, locked, mapping });
      setResult(r);
      setLoaded(null);
      toast(`Imported ${r.imported.length} plan${r.imported.length === 1 ? '' : 's'}`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const p = loaded?.preview;
  const missing = (v: Vocab) => (p ? p[v].filter((x) => !x.exists) : []);
  return (
    <Card title="Import plans">
      <p className="muted">
        Bring in a .plan.json file — for example a personal plan an agent exported — as your own plan or, for managers, as an account plan.
      </p>
      <ErrorBanner message={error} />
      <DropZone
        label="Choose a plan file…"
        hint="or drop a .plan.json file here"
        accept=".json,application/json"
        onFile={(f) => void onFile(f)}
        disabled={busy}
      />
      {result ? (
        <div className="banner banner-success" role="status">
          Imported {result.imported.map((x) => `“${x.name}”`).join(', ') || 'no plans'}
          {result.replaced ? `, replaced ${result.replaced}` : ''}
          {result.skipped ? `, skipped ${result.skipped}` : ''}.
        </div>
      ) : null}
      {p && loaded ? (
        <div className="stack" style={{ marginTop: 'var(--s3)' }}>
          <p className="small">
            <strong>{loaded.name}</strong> — exported by {p.exportedBy} on {new Date(p.exportedAt).toLocaleString()}
          </p>
          <fieldset className="radio-row">
            <legend>Import as</legend>
            {(['personal', 'account'] as const).map((s) => (
              <label key={s}>
                <input
                  type="radio"
                  name="import-scope"
                  value={s}
                  checked={scope === s}
                  disabled={s === 'account' && !p.canImportAsAccount}
                  onChange={() => {
                    setScope(s);
                    void preview(loaded.name, loaded.text, s);
                  }}
                />
                {s === 'personal' ? 'My personal plan' : 'Account-level plan'}
              </label>
            ))}
            {!p.canImportAsAccount ? <span className="small muted">Only managers import account-level plans.</span> : null}
          </fieldset>
          {scope === 'account' ? (
            <label className="switch-row">
              <input type="checkbox" checked={locked} onChange={(e) => setLocked(e.target.checked)} />
              <span>Lock the imported plans (others can view, not edit)</span>
            </label>
          ) : null}
          <table className="table mapping" aria-label="Plans in the file">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Steps</th>
                <th scope="col">Here</th>
              </tr>
            </thead>
            <tbody>
              {p.plans.map((x) => (
                <tr key={x.key}>
                  <td>{x.name}</td>
                  <td>{x.steps}</td>
                  <td>
                    {x.conflict ? (
                      <ConflictChoice plan={x} value={conflicts[x.key]} onChange={(c) => setConflicts({ ...conflicts, [x.key]: c })} />
                    ) : (
                      <Badge tone="green">New</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {(['tags', 'stages', 'sources'] as const).some((v) => missing(v).length > 0) ? (
            <table className="table mapping" aria-label="Names new to this account">
              <thead>
                <tr>
                  <th scope="col">In the file</th>
                  <th scope="col">Use here</th>
                </tr>
              </thead>
              <tbody>
                {(['tags', 'stages', 'sources'] as const).flatMap((v) =>
                  missing(v).map((x) => (
                    <tr key={`${v}:${x.name}`}>
                      <td>
                        {VOCAB_LABEL[v]} “{x.name}”
                      </td>
                      <td>
                        <select
                          aria-label={`${VOCAB_LABEL[v]} ${x.name}`}
                          value={names[v][x.name] ?? CREATE}
                          onChange={(e) => setNames({ ...names, [v]: { ...names[v], [x.name]: e.target.value } })}
                        >
                          <option value={CREATE}>Create “{x.name}”</option>
                          {p.known[v].map((k) => (
                            <option key={k} value={k}>
                              Use existing “{k}”
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          ) : null}
          {p.users.length > 0 ? (
            <table className="table mapping" aria-label="Users in the file">
              <thead>
                <tr>
                  <th scope="col">User in the file</th>
                  <th scope="col">Becomes</th>
                </tr>
              </thead>
              <tbody>
                {p.users.map((u) => (
                  <tr key={u.name}>
                    <td>{u.name}</td>
                    <td>
                      <select
                        aria-label={`User ${u.name}`}
                        value={users[u.name] ?? ''}
                        onChange={(e) => setUsers({ ...users, [u.name]: e.target.value })}
                      >
                        {p.localUsers.map((l) => (
                          <option key={l.id} value={l.id}>
                            {l.name} ({l.role})
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="exchange-actions">
            <Button tone="primary" disabled={busy} onClick={() => void doImport()}>
              Import {p.plans.length} plan{p.plans.length === 1 ? '' : 's'}
            </Button>
            <Button tone="ghost" onClick={() => setLoaded(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

function ConflictChoice({
  plan,
  value,
  onChange,
}: {
  plan: PlanImportPreview['plans'][number];
  value: ConflictAction | undefined;
  onChange: (c: ConflictAction) => void;
}) {
  const action = value?.action ?? 'rename';
  return (
    <div className="exchange-actions">
      <select
        aria-label={`“${plan.name}” already exists`}
        value={action}
        onChange={(e) => {
          const a = e.target.value as ConflictAction['action'];
          onChange(a === 'rename' ? { action: 'rename', name: `${plan.name} (imported)` } : { action: a });
        }}
      >
        <option value="rename">Import under a new name</option>
        <option value="replace" disabled={(plan.conflict?.enrolled ?? 0) > 0}>
          Replace the existing plan{(plan.conflict?.enrolled ?? 0) > 0 ? ` (has ${plan.conflict?.enrolled} leads)` : ''}
        </option>
        <option value="skip">Skip (keep the existing plan)</option>
      </select>
      {value?.action === 'rename' ? (
        <input
          type="text"
          aria-label={`New name for “${plan.name}”`}
          value={value.name}
          onChange={(e) => onChange({ action: 'rename', name: e.target.value })}
        />
      ) : null}
    </div>
  );
}

import { useState } from 'react';
import type { ActionPlanSettings, Role, RoutingRuleInput, User } from '@shared/model/team';
import { roleLabel } from '@shared/model/team';
import { Badge, Button, Card, EmptyState, ErrorBanner, Field, PageHeader } from '../components/ui';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { errorMessage, fieldIssues } from '../lib/errors';
import { useRights } from '../lib/rights';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

export function TeamScreen() {
  const rights = useRights();
  const session = useApp((s) => s.session);
  return (
    <div className="page">
      <PageHeader title="Team" subtitle={session?.account.name} actions={rights?.can.exportTeamFile ? <ExportButton /> : null} />
      <div className="stack">
        {rights?.can.manageActionPlanSettings ? <ActionPlanSettingsCard /> : null}
        {rights?.can.manageUsers ? <MembersCard /> : null}
        {rights?.can.manageRoutingRules ? <RoutingRulesCard /> : null}
      </div>
    </div>
  );
}

const TOGGLES: { key: keyof ActionPlanSettings; label: string; effect: string }[] = [
  {
    key: 'personalPlans',
    label: 'Allow users to create personal action plans',
    effect:
      'Agents (not lenders) can build their own plans, visible only to them; this also turns on manual assignment to fully automated plans and shows Lead Routing Settings.',
  },
  {
    key: 'preferredLender',
    label: 'Allow users to select a preferred lender',
    effect: 'Each user picks a lender in Lead Routing Settings who is assigned automatically to the leads routed to them.',
  },
  {
    key: 'manualAutomated',
    label: 'Allow agents and lenders to manually assign leads to fully automated plans',
    effect: 'Agents and lenders can put leads in fully automated plans themselves, up to 50 assignments a day for the whole account.',
  },
];

function ActionPlanSettingsCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const rights = useRights();
  if (!rights) return null;
  const set = async (patch: Partial<ActionPlanSettings>) => {
    try {
      await client.call('team.settings.set', { ...rights.settings, ...patch });
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <Card title="Action Plan Settings">
      {TOGGLES.map((t) => {
        // Toggle 1 turns on toggle 3: shown checked and fixed while toggle 1 is on.
        const forced = t.key === 'manualAutomated' && rights.settings.personalPlans;
        return (
          <div key={t.key} className="toggle">
            <label className="switch-row">
              <input
                type="checkbox"
                role="switch"
                checked={rights.effective[t.key]}
                disabled={forced}
                onChange={(e) => void set({ [t.key]: e.target.checked })}
              />
              <span>{t.label}</span>
            </label>
            <p className="small muted">
              {t.effect}
              {forced ? ' On because personal plans are allowed.' : ''}
            </p>
          </div>
        );
      })}
      <p className="small muted">
        Lead Routing Settings are {rights.leadRoutingSettingsVisible ? 'shown' : 'hidden'} for everyone: they appear when the first or
        second setting is on.
      </p>
    </Card>
  );
}

function MembersCard() {
  const client = useClient();
  const session = useApp((s) => s.session);
  const users = session?.users ?? [];
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
    <Card title="People">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email || '—'}</td>
              <td>{roleLabel[u.role]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="form"
        aria-label="Add a person"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
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
    </Card>
  );
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

interface RuleForm {
  name: string;
  isDefault: boolean;
  sources: string;
  tags: string;
  cities: string;
  zips: string;
  minPrice: string;
  maxPrice: string;
  assigneeIds: string[];
}
const blankRule: RuleForm = {
  name: '',
  isDefault: false,
  sources: '',
  tags: '',
  cities: '',
  zips: '',
  minPrice: '',
  maxPrice: '',
  assigneeIds: [],
};

function RoutingRulesCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const users = useApp((s) => s.session?.users ?? []);
  const rules = useEngineQuery('routing.rules.list', {}, ['routingRules', 'users']);
  const [form, setForm] = useState<RuleForm>(blankRule);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<{ id: string; name: string } | null>(null);
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? 'Removed user';

  async function create() {
    const price = (s: string) => (s.trim() === '' ? undefined : Number(s));
    const input: RoutingRuleInput = {
      name: form.name,
      isDefault: form.isDefault,
      conditions: {
        sources: list(form.sources),
        tags: list(form.tags),
        cities: list(form.cities),
        zips: list(form.zips),
        minPrice: price(form.minPrice),
        maxPrice: price(form.maxPrice),
      },
      assigneeIds: form.assigneeIds,
    };
    try {
      await client.call('routing.rules.create', input);
      toast(`Routing rule “${form.name}” added`, 'success');
      setForm(blankRule);
      setIssues({});
      setError(null);
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  const describe = (r: NonNullable<typeof rules.data>[number]): string => {
    if (r.isDefault) return 'Any lead no other rule takes';
    const c = r.conditions;
    const parts = [
      c.sources.length ? `source ${c.sources.join(' or ')}` : '',
      c.tags.length ? `tag ${c.tags.join(' or ')}` : '',
      c.minPrice !== undefined || c.maxPrice !== undefined ? `price ${c.minPrice ?? 0}–${c.maxPrice ?? '∞'}` : '',
      c.cities.length ? `city ${c.cities.join(' or ')}` : '',
      c.zips.length ? `zip ${c.zips.join(' or ')}` : '',
    ].filter(Boolean);
    return parts.length ? parts.join(', ') : 'Any lead';
  };

  return (
    <Card title="Routing rules">
      <p className="muted small">
        New leads go to the first rule that matches, in turn among its people (round robin); the default rule takes the rest.
      </p>
      <ErrorBanner message={rules.error} />
      {rules.data?.length === 0 ? (
        <EmptyState title="No routing rules">Leads stay with whoever creates them until you add a rule.</EmptyState>
      ) : (
        <ul className="list" aria-label="Routing rules">
          {rules.data?.map((r) => (
            <li key={r.id} className="list-row">
              <span>
                <strong>{r.name}</strong> {r.isDefault ? <Badge tone="blue">Default</Badge> : null}
                <br />
                <span className="small muted">
                  {describe(r)} → {r.assigneeIds.map(nameOf).join(', ')}
                </span>
              </span>
              <Button tone="ghost" onClick={() => setToDelete({ id: r.id, name: r.name })}>
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="divider" />
      <form
        className="form"
        aria-label="New routing rule"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h3>New rule</h3>
        <ErrorBanner message={error} />
        <div className="form-row">
          <Field label="Rule name" error={issues.name}>
            {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <label className="switch-row">
            <input type="checkbox" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} />
            Default rule (takes every lead no other rule matches)
          </label>
        </div>
        {form.isDefault ? null : (
          <>
            <div className="form-row">
              <Field label="Sources" hint="Comma-separated, e.g. Zillow, Open house">
                {(p) => <input {...p} value={form.sources} onChange={(e) => setForm({ ...form, sources: e.target.value })} />}
              </Field>
              <Field label="Tags" hint="Any of these tags">
                {(p) => <input {...p} value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} />}
              </Field>
            </div>
            <div className="form-row">
              <Field label="Lowest price" error={issues['conditions.minPrice']}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={0}
                    value={form.minPrice}
                    onChange={(e) => setForm({ ...form, minPrice: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Highest price">
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={0}
                    value={form.maxPrice}
                    onChange={(e) => setForm({ ...form, maxPrice: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Cities">
                {(p) => <input {...p} value={form.cities} onChange={(e) => setForm({ ...form, cities: e.target.value })} />}
              </Field>
              <Field label="Zip codes">
                {(p) => <input {...p} value={form.zips} onChange={(e) => setForm({ ...form, zips: e.target.value })} />}
              </Field>
            </div>
          </>
        )}
        <fieldset className="check-list" aria-describedby={issues.assigneeIds ? 'assignees-error' : undefined}>
          <legend>Route to (in turn)</legend>
          {users
            .filter((u: User) => u.role !== 'lender')
            .map((u) => (
              <label key={u.id}>
                <input
                  type="checkbox"
                  checked={form.assigneeIds.includes(u.id)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      assigneeIds: e.target.checked ? [...form.assigneeIds, u.id] : form.assigneeIds.filter((x) => x !== u.id),
                    })
                  }
                />
                {u.name}
              </label>
            ))}
        </fieldset>
        {issues.assigneeIds ? (
          <p className="field-error" id="assignees-error" role="alert">
            {issues.assigneeIds}
          </p>
        ) : null}
        <div className="form-actions">
          <Button tone="primary" type="submit">
            Add rule
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete the rule “${toDelete?.name ?? ''}”?`}
        body="Leads already routed keep their people; new leads will no longer match this rule."
        confirmLabel="Delete rule"
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          if (toDelete) void client.call('routing.rules.delete', { id: toDelete.id });
          setToDelete(null);
        }}
      />
    </Card>
  );
}

function ExportButton() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  async function download() {
    try {
      const file = await client.call('team.exportFile', {});
      const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${file.account.name.replace(/[^\w-]+/g, '-')}.team.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      toast('Team file exported: give it to teammates to import on their first run', 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }
  return <Button onClick={() => void download()}>Export team file</Button>;
}

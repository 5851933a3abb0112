import { useState } from 'react';
import type { UserId } from '@shared/model/ids';
import type { RoutingRule, RoutingRuleInput, User } from '@shared/model/team';
import { canReceiveRoutedLeads, lendersNotRoutedReason, roleLabel } from '@shared/model/team';
import { Modal } from '../../components/Modal';
import { Button, ErrorBanner, Field } from '../../components/ui';
import { errorMessage, fieldIssues } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';

interface Form {
  name: string;
  isDefault: boolean;
  sources: string;
  tags: string;
  cities: string;
  zips: string;
  minPrice: string;
  maxPrice: string;
  assigneeIds: UserId[];
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function toForm(r: RoutingRule | null): Form {
  if (!r) return { name: '', isDefault: false, sources: '', tags: '', cities: '', zips: '', minPrice: '', maxPrice: '', assigneeIds: [] };
  const c = r.conditions;
  return {
    name: r.name,
    isDefault: r.isDefault,
    sources: c.sources.join(', '),
    tags: c.tags.join(', '),
    cities: c.cities.join(', '),
    zips: c.zips.join(', '),
    minPrice: c.minPrice === undefined ? '' : String(c.minPrice),
    maxPrice: c.maxPrice === undefined ? '' : String(c.maxPrice),
    assigneeIds: r.assigneeIds,
  };
}

function toInput(f: Form): RoutingRuleInput {
  const price = (s: string) => (s.trim() === '' ? undefined : Number(s));
  return {
    name: f.name,
    isDefault: f.isDefault,
    conditions: f.isDefault
      ? { sources: [], tags: [], cities: [], zips: [] }
      : {
          sources: list(f.sources),
          tags: list(f.tags),
          cities: list(f.cities),
          zips: list(f.zips),
          minPrice: price(f.minPrice),
          maxPrice: price(f.maxPrice),
        },
    assigneeIds: f.assigneeIds,
  };
}

/** Create (rule = null) or edit a routing rule; the engine validates and its refusals show by their fields. */
export function RuleFormDialog({
  open,
  rule,
  users,
  onClose,
}: {
  open: boolean;
  rule: RoutingRule | null;
  users: User[];
  onClose: () => void;
}) {
  return (
    <Modal open={open} title={rule ? `Edit rule “${rule.name}”` : 'New routing rule'} onClose={onClose} wide>
      <RuleForm rule={rule} users={users} onDone={onClose} />
    </Modal>
  );
}

function RuleForm({ rule, users, onDone }: { rule: RoutingRule | null; users: User[]; onDone: () => void }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const [form, setForm] = useState<Form>(() => toForm(rule));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const receivers = users.filter((u) => canReceiveRoutedLeads(u.role));
  const lenders = users.filter((u) => !canReceiveRoutedLeads(u.role));

  async function save() {
    setSaving(true);
    try {
      if (rule) await client.call('routing.rules.update', { id: rule.id, rule: toInput(form) });
      else await client.call('routing.rules.create', toInput(form));
      toast(rule ? `Routing rule “${form.name}” saved` : `Routing rule “${form.name}” added`, 'success');
      onDone();
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  const text = (label: string, key: 'sources' | 'tags' | 'cities' | 'zips', hint: string) => (
    <Field label={label} hint={hint} error={issues[`conditions.${key}`]}>
      {(p) => <input {...p} value={form[key]} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  const price = (label: string, key: 'minPrice' | 'maxPrice') => (
    <Field label={label} hint="Dollars; leave empty for no limit" error={issues[`conditions.${key}`]}>
      {(p) => <input {...p} type="number" min={0} step={1000} value={form[key]} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );

  return (
    <form
      className="form"
      aria-label={rule ? `Edit routing rule “${rule.name}”` : 'New routing rule'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ErrorBanner message={error} />
      <Field label="Rule name" error={issues.name}>
        {(p) => <input {...p} value={form.name} autoFocus onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <div className="field">
        <label className="switch-row">
          <input
            type="checkbox"
            checked={form.isDefault}
            aria-describedby={issues.isDefault ? 'rule-default-error' : undefined}
            onChange={(e) => set({ isDefault: e.target.checked })}
          />
          Default rule: takes every lead no other rule matches (always tried last)
        </label>
        {issues.isDefault ? (
          <p className="field-error" id="rule-default-error" role="alert">
            {issues.isDefault}
          </p>
        ) : null}
      </div>
      {form.isDefault ? null : (
        <fieldset className="fieldset">
          <legend>Conditions</legend>
          <p className="small muted">Every condition you fill in must match. Separate several values with commas.</p>
          <div className="form-row form-row-3">
            {text('Sources', 'sources', 'e.g. Zillow, Open house')}
            {text('Tags', 'tags', 'Any of these tags')}
          </div>
          <div className="form-row form-row-3">
            {price('Lowest price', 'minPrice')}
            {price('Highest price', 'maxPrice')}
          </div>
          <div className="form-row form-row-3">
            {text('Cities', 'cities', 'e.g. Austin, Round Rock')}
            {text('Zip codes', 'zips', 'e.g. 78701, 78702')}
          </div>
        </fieldset>
      )}
      <fieldset className="fieldset" aria-describedby={issues.assigneeIds ? 'rule-assignees-error' : 'rule-assignees-hint'}>
        <legend>Route to (in turn)</legend>
        <div className="check-list">
          {receivers.map((u) => (
            <label key={u.id}>
              <input
                type="checkbox"
                checked={form.assigneeIds.includes(u.id)}
                onChange={(e) =>
                  set({ assigneeIds: e.target.checked ? [...form.assigneeIds, u.id] : form.assigneeIds.filter((x) => x !== u.id) })
                }
              />
              {u.name} <span className="small muted">({roleLabel[u.role]})</span>
            </label>
          ))}
        </div>
        {issues.assigneeIds ? (
          <p className="field-error" id="rule-assignees-error" role="alert">
            {issues.assigneeIds}
          </p>
        ) : null}
        <p className="field-hint" id="rule-assignees-hint">
          Each new lead goes to the next person in this list.
          {lenders.length ? ` Not listed: ${lenders.map((u) => u.name).join(', ')}. ${lendersNotRoutedReason}` : ''}
        </p>
      </fieldset>
      <div className="dialog-actions rule-dialog-actions">
        <Button onClick={onDone}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={saving}>
          {rule ? 'Save rule' : 'Add rule'}
        </Button>
      </div>
    </form>
  );
}

import type { ReactNode } from 'react';
import { useState } from 'react';
import type { RoutingChoice } from '@shared/model/team';
import { Button, Card, EmptyState, ErrorBanner, Field } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';
import { assigneeNames, describeConditions } from './describe-rule';

type Choice = { planId: string | null; lenderId: string | null };

/**
 * My Lead Routing Settings: for each rule that routes leads to me (shown read-only: managers set
 * the rules), my plan and preferred lender; plus my defaults. `header` places the title and Save button.
 */
export function MyRoutingSettings({ header }: { header: (save: ReactNode) => ReactNode }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const users = useApp((s) => s.session?.users ?? []);
  const view = useEngineQuery('routing.mySettings.get', {}, ['routingRules', 'leadRoutingSettings', 'plans', 'users', 'settings']);
  const [edited, setEdited] = useState<{ defaults: Choice; perRule: Record<string, Choice> } | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (view.error) return <ErrorBanner message={view.error} />;
  if (!view.data) return <p className="loading">Loading Lead Routing Settings…</p>;
  const v = view.data;
  const form = edited ?? { defaults: v.settings.defaults, perRule: v.settings.perRule };
  const setChoice = (ruleId: string | null, patch: Partial<Choice>) => {
    if (ruleId === null) setEdited({ ...form, defaults: { ...form.defaults, ...patch } });
    else
      setEdited({
        ...form,
        perRule: { ...form.perRule, [ruleId]: { ...(form.perRule[ruleId] ?? { planId: null, lenderId: null }), ...patch } },
      });
  };

  async function save() {
    try {
      await client.call('routing.mySettings.save', form);
      setEdited(null);
      setError(null);
      toast('Lead Routing Settings saved', 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const choiceFields = (label: string, ruleId: string | null, choice: Choice | RoutingChoice | undefined) => (
    <div className="form-row">
      {v.canChoosePlan ? (
        <Field label={`Action plan ${label}`} hint="One of your Ready personal plans">
          {(p) => (
            <select {...p} value={choice?.planId ?? ''} onChange={(e) => setChoice(ruleId, { planId: e.target.value || null })}>
              <option value="">{ruleId ? 'Use my default' : 'No plan'}</option>
              {v.plans.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {plan.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {v.canChooseLender ? (
        <Field label={`Preferred lender ${label}`}>
          {(p) => (
            <select {...p} value={choice?.lenderId ?? ''} onChange={(e) => setChoice(ruleId, { lenderId: e.target.value || null })}>
              <option value="">{ruleId ? 'Use my default' : 'No lender'}</option>
              {v.lenders.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
    </div>
  );

  const saveButton = (
    <Button tone="primary" disabled={!edited} onClick={() => void save()}>
      Save Changes
    </Button>
  );

  return (
    <>
      {header(saveButton)}
      <ErrorBanner message={error} />
      <div className="stack">
        <Card title="My defaults">
          <p className="small muted">Used for any rule below where you leave “Use my default”.</p>
          {choiceFields('(default)', null, form.defaults)}
        </Card>
        {v.rules.length === 0 ? (
          <EmptyState title="No routing rules send leads to you">When a manager adds you to a routing rule, it shows here.</EmptyState>
        ) : (
          v.rules.map((r) => (
            <Card key={r.id} title={`Rule: ${r.name}`}>
              <p className="small muted">
                {describeConditions(r)} → {assigneeNames(r, users)}. Set by your managers; only your choices below are yours to change.
              </p>
              {choiceFields(`for “${r.name}”`, r.id, form.perRule[r.id])}
            </Card>
          ))
        )}
      </div>
    </>
  );
}

import type { ActionPlanSettings } from '@shared/model/team';
import { Button, Card, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { useRights } from '../lib/rights';
import { useApp, useClient } from '../lib/store';
import { PeopleCard } from './team/PeopleCard';

export function TeamScreen() {
  const rights = useRights();
  const session = useApp((s) => s.session);
  return (
    <div className="page">
      <PageHeader title="Team" subtitle={session?.account.name} actions={rights?.can.exportTeamFile ? <ExportButton /> : null} />
      <div className="stack">
        {rights?.can.manageActionPlanSettings ? <ActionPlanSettingsCard /> : null}
        {rights?.can.manageUsers ? <PeopleCard /> : null}
        {rights?.can.manageRoutingRules ? <RoutingPointer /> : null}
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

/** Routing rules are edited in Lead routing (with the order they are tried in); this says where. */
function RoutingPointer() {
  const navigate = useApp((s) => s.navigate);
  return (
    <Card title="Routing rules">
      <p className="small muted">Which person receives each new lead is set by the routing rules, in Lead routing.</p>
      <div className="form-actions">
        <Button onClick={() => navigate({ screen: 'routing' })}>Open Lead routing</Button>
      </div>
    </Card>
  );
}

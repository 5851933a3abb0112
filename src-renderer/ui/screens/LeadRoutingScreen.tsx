import { Card, PageHeader } from '../components/ui';
import { useRights } from '../lib/rights';
import { MyRoutingSettings } from './routing/MyRoutingSettings';
import { RoutingRulesCard } from './routing/RoutingRulesCard';

/**
 * Lead routing. Managers edit and order the account's routing rules here, and (when Action Plan
 * Settings show them) set their own Lead Routing Settings below. Agents see only their Lead Routing
 * Settings, with the rules that route to them read-only (DESIGN §3).
 */
export function LeadRoutingScreen() {
  const rights = useRights();
  if (!rights) return <p className="loading">Loading lead routing…</p>;
  const mine = rights.leadRoutingSettingsVisible && rights.can.editLeadRoutingSettings;

  if (!rights.can.manageRoutingRules) {
    return (
      <div className="page">
        <MyRoutingSettings
          header={(save) => (
            <PageHeader
              title="Lead Routing Settings"
              subtitle="What happens to the leads routing sends to you. The rules themselves are set by your managers."
              actions={save}
            />
          )}
        />
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader title="Lead routing" subtitle="Who receives each new lead, and what happens to the leads routed to you." />
      <div className="stack">
        <RoutingRulesCard />
        {mine ? (
          <section className="stack" aria-labelledby="my-routing-title">
            <MyRoutingSettings
              header={(save) => (
                <div className="card-head">
                  <h2 id="my-routing-title">My Lead Routing Settings</h2>
                  {save}
                </div>
              )}
            />
          </section>
        ) : (
          <Card title="My Lead Routing Settings">
            <p className="small muted">
              Hidden while both “Allow users to create personal action plans” and “Allow users to select a preferred lender” are off (Team →
              Action Plan Settings). Routing still deals leads to the rules’ people.
            </p>
          </Card>
        )}
      </div>
    </div>
  );
}

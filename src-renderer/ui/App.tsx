import { useEffect } from 'react';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import type { TeamRights } from '@shared/contract/team';
import { DesktopNotifications } from './components/DesktopNotifications';
import { ProfileMenu } from './components/ProfileMenu';
import { SyncStatusLink } from './components/SyncStatusLink';
import { Toasts } from './components/Toasts';
import { useRights } from './lib/rights';
import type { Route } from './lib/store';
import { useApp } from './lib/store';
import { onEngineChange } from './lib/use-engine';
import { ImportExportScreen } from './screens/exchange/ImportExportScreen';
import { LeadScreen } from './screens/LeadScreen';
import { LeadsScreen } from './screens/LeadsScreen';
import { OutboxScreen } from './screens/OutboxScreen';
import { PlanBuilder } from './screens/PlanBuilder';
import { PlanLeadsScreen } from './screens/PlanLeadsScreen';
import { PlansScreen } from './screens/PlansScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TemplatesScreen } from './screens/TemplatesScreen';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LeadRoutingScreen } from './screens/LeadRoutingScreen';
import { TeamScreen } from './screens/TeamScreen';
import { TodayScreen } from './screens/TodayScreen';

/** `shown`: the menu follows the current user's rights (the engine refuses the rest anyway). */
const NAV: { label: string; route: Route; key: string; match: Route['screen'][]; shown?: (r: TeamRights) => boolean }[] = [
  { label: 'Leads', route: { screen: 'leads' }, key: '1', match: ['leads', 'lead'] },
  { label: 'Action plans', route: { screen: 'plans' }, key: '2', match: ['plans', 'plan', 'planLeads'] },
  { label: 'Templates', route: { screen: 'templates' }, key: '7', match: ['templates'] },
  { label: 'Outbox', route: { screen: 'outbox' }, key: '3', match: ['outbox'] },
  {
    label: 'Lead routing',
    route: { screen: 'routing' },
    key: '4',
    match: ['routing'],
    shown: (r) => r.can.manageRoutingRules || (r.leadRoutingSettingsVisible && r.can.editLeadRoutingSettings),
  },
  { label: 'Team', route: { screen: 'team' }, key: '5', match: ['team'], shown: (r) => r.can.manageUsers },
  { label: 'Import & export', route: { screen: 'exchange' }, key: '7', match: ['exchange'] },
  { label: 'Settings', route: { screen: 'settings' }, key: '6', match: ['settings'] },
  { label: 'Today', route: { screen: 'today' }, key: '7', match: ['today'] },
];

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'leads':
      return <LeadsScreen />;
    case 'lead':
      return <LeadScreen key={route.id} id={route.id} />;
    case 'plans':
      return <PlansScreen />;
    case 'plan':
      return <PlanBuilder key={route.id} id={route.id} />;
    case 'planLeads':
      return <PlanLeadsScreen key={`${route.id}-${route.state}`} id={route.id} state={route.state} />;
    case 'templates':
      return <TemplatesScreen />;
    case 'outbox':
      return <OutboxScreen key={route.leadId ?? 'all'} leadId={route.leadId} />;
    case 'today':
      return <TodayScreen />;
    case 'settings':
      return <SettingsScreen tab={route.tab} />;
    case 'team':
      return <TeamScreen />;
    case 'routing':
      return <LeadRoutingScreen />;
    case 'exchange':
      return <ImportExportScreen />;
  }
}

export function App() {
  const session = useApp((s) => s.session);
  // A new account starts on the first-run choice; each profile gets a fresh shell (its own queries).
  if (session?.account.onboarded === false) return <FirstRunScreen />;
  return <Shell key={session?.currentUser.id} />;
}

function Shell() {
  const rights = useRights();
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const session = useApp((s) => s.session);
  const nav = NAV.filter((n) => !n.shown || (rights ? n.shown(rights) : false));
  const client = useApp((s) => s.client);
  const setSession = useApp((s) => s.setSession);

  // Alt+1..7 switch screens from anywhere (shown in each nav item's title).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const item = e.altKey ? nav.find((n) => n.key === e.key) : undefined;
      if (item) {
        e.preventDefault();
        navigate(item.route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, nav]);

  useEffect(() => {
    if (!client) return;
    return client.on('schedulerState', () => {
      void client.call('session.get', {}).then(setSession);
    });
  }, [client, setSession]);

  // People and the account also change on other computers of the team (the team server brings them).
  useEffect(() => {
    if (!client) return;
    return onEngineChange(client, ['users', 'account'], 1000, () => {
      void client.call('session.get', {}).then(setSession, () => undefined);
    });
  }, [client, setSession]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Action Plans
        </div>
        <ul>
          {nav.map((n) => (
            <li key={n.label}>
              <button
                type="button"
                className={`nav-item${n.match.includes(route.screen) ? ' active' : ''}`}
                aria-current={n.match.includes(route.screen) ? 'page' : undefined}
                title={`Alt+${n.key}`}
                onClick={() => navigate(n.route)}
              >
                {n.label}
              </button>
            </li>
          ))}
        </ul>
        <SyncStatusLink />
        <div className="sidebar-foot">
          <p className="small">
            <span className={`dot ${session?.schedulerRunning ? 'dot-green' : 'dot-grey'}`} aria-hidden="true" />
            {session?.schedulerRunning ? 'Scheduler running' : 'Scheduler running in another window'}
          </p>
          <ProfileMenu />
          <ShortcutsHelp />
        </div>
      </nav>
      <main className="main">
        <Screen route={route} />
      </main>
      <Toasts />
      <DesktopNotifications />
    </div>
  );
}

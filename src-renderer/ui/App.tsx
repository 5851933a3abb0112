import { useEffect } from 'react';
import { DesktopNotifications } from './components/DesktopNotifications';
import { Toasts } from './components/Toasts';
import type { Route } from './lib/store';
import { useApp } from './lib/store';
import { LeadScreen } from './screens/LeadScreen';
import { LeadsScreen } from './screens/LeadsScreen';
import { OutboxScreen } from './screens/OutboxScreen';
import { PlanBuilder } from './screens/PlanBuilder';
import { PlansScreen } from './screens/PlansScreen';
import { SettingsScreen } from './screens/SettingsScreen';

const NAV: { label: string; route: Route; key: string; match: Route['screen'][] }[] = [
  { label: 'Leads', route: { screen: 'leads' }, key: '1', match: ['leads', 'lead'] },
  { label: 'Action plans', route: { screen: 'plans' }, key: '2', match: ['plans', 'plan'] },
  { label: 'Outbox', route: { screen: 'outbox' }, key: '3', match: ['outbox'] },
  { label: 'Settings', route: { screen: 'settings' }, key: '4', match: ['settings'] },
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
    case 'outbox':
      return <OutboxScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

export function App() {
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const session = useApp((s) => s.session);
  const client = useApp((s) => s.client);
  const setSession = useApp((s) => s.setSession);

  // Alt+1..4 switch screens from anywhere (shown in each nav item's title).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const item = e.altKey ? NAV.find((n) => n.key === e.key) : undefined;
      if (item) {
        e.preventDefault();
        navigate(item.route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  useEffect(() => {
    if (!client) return;
    return client.on('schedulerState', () => {
      void client.call('session.get', {}).then(setSession);
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
          {NAV.map((n) => (
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
        <div className="sidebar-foot">
          <p className="small">
            <span className={`dot ${session?.schedulerRunning ? 'dot-green' : 'dot-grey'}`} aria-hidden="true" />
            {session?.schedulerRunning ? 'Scheduler running' : 'Scheduler running in another window'}
          </p>
          <p className="small muted">{session?.currentUser.name ?? ''}</p>
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

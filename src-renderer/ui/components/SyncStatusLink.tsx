import { useApp } from '../lib/store';
import { clockTime, isConnected, shortStatus, STATE_TONE, useTeamServerStatus } from '../lib/team-server';
import '../screens/team-server/team-server.css';

/**
 * The team server's status in the sidebar ("● Synced 14:02", "Offline since 13:40 · 3 waiting"):
 * opens Settings → Team server. Not shown on a computer that is not connected to one.
 */
export function SyncStatusLink() {
  const status = useTeamServerStatus();
  const navigate = useApp((s) => s.navigate);
  const route = useApp((s) => s.route);
  if (!status || !isConnected(status)) return null;
  const text = shortStatus(status, clockTime);
  const here = route.screen === 'settings' && route.tab === 'teamServer';
  return (
    <button
      type="button"
      className={`sync-link sync-${status.state}${here ? ' active' : ''}`}
      aria-label={`Team server: ${status.message}. Open Settings, Team server`}
      title={status.message}
      onClick={() => navigate({ screen: 'settings', tab: 'teamServer' })}
    >
      <span className={`dot dot-${STATE_TONE[status.state]}`} aria-hidden="true" />
      <span className="sync-link-text">
        <span className="sync-link-label small muted">Team server</span>
        <span className="sync-link-state">{text}</span>
      </span>
    </button>
  );
}

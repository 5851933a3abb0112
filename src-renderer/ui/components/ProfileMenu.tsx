import { useEffect, useRef, useState } from 'react';
import { roleLabel } from '@shared/model/team';
import { errorMessage } from '../lib/errors';
import { switchProfile } from '../lib/profile';
import { useApp, useClient } from '../lib/store';
import { isConnected, useTeamServerStatus } from '../lib/team-server';

/**
 * The current user in the sidebar footer; opens a menu to switch to another profile of the team.
 * On a computer connected to the team server the person is the server's sign-in: no switching here.
 */
export function ProfileMenu() {
  const client = useClient();
  const session = useApp((s) => s.session);
  const navigate = useApp((s) => s.navigate);
  const server = useTeamServerStatus();
  const signedIn = isConnected(server);
  const setSession = useApp((s) => s.setSession);
  const toast = useApp((s) => s.toast);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [open]);
  // Closing the menu with Escape gives the focus back to the button that opened it.
  const opener = useRef<HTMLButtonElement>(null);

  if (!session) return null;
  const me = session.currentUser;

  async function pick(userId: string) {
    setOpen(false);
    if (userId === me.id) return;
    try {
      const next = await switchProfile(client, userId);
      setSession(next);
      useApp.setState({ route: { screen: 'leads' }, leaveGuard: null });
      toast(`You are now ${next.currentUser.name} (${roleLabel[next.currentUser.role]})`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  const label = signedIn
    ? `Profile: ${me.name}, ${roleLabel[me.role]}. Signed in to the team server as ${server?.user ?? me.name}`
    : `Profile: ${me.name}, ${roleLabel[me.role]}. Switch profile`;
  return (
    <div
      className="profile"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        setOpen(false);
        opener.current?.focus();
      }}
    >
      <button
        ref={opener}
        type="button"
        className="profile-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {me.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="profile-text">
          <strong>{me.name}</strong>
          <span className="small muted">{roleLabel[me.role]}</span>
        </span>
      </button>
      {open && signedIn && server ? (
        <ul className="profile-menu" role="menu" aria-label="Signed in" ref={menu}>
          <li role="none" className="profile-note small">
            Signed in to the team server as <strong>{server.user}</strong>
            {server.teamId ? <> (team {server.teamId})</> : null}. Everyone works on their own computer with their own sign-in.
          </li>
          <li role="none">
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                navigate({ screen: 'settings', tab: 'teamServer' });
              }}
            >
              Team server settings
            </button>
          </li>
        </ul>
      ) : open ? (
        <ul className="profile-menu" role="menu" aria-label="Switch profile" ref={menu}>
          {session.users.map((u) => (
            <li key={u.id} role="none">
              <button type="button" role="menuitemradio" aria-checked={u.id === me.id} onClick={() => void pick(u.id)}>
                {u.name} <span className="small muted">{roleLabel[u.role]}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

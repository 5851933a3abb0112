import { useEffect } from 'react';
import { create } from 'zustand';
import type { TeamServerState, TeamServerStatus } from '@shared/contract/sync';
import type { Session } from '@shared/contract/session';
import type { EngineClient } from './engine-client';
import { switchProfile } from './profile';
import { useClient } from './store';
import { onEngineChange } from './use-engine';

/**
 * The team server's status, shared by Settings → Team server, the sidebar's status line and the
 * profile menu: the engine pushes `syncStatus` on every change; the actions (connect, disconnect…)
 * put the status they return here too, since stopping a session pushes nothing.
 */
export const useTeamServer = create<{ status: TeamServerStatus | null; setStatus: (status: TeamServerStatus) => void }>((set) => ({
  status: null,
  setStatus: (status) => set({ status }),
}));

/** The one subscription behind every caller of useTeamServerStatus (the sidebar, the profile menu, Settings). */
let watchers = 0;
let stopWatching: (() => void) | null = null;

function watch(client: EngineClient): () => void {
  const { setStatus } = useTeamServer.getState();
  const refresh = () =>
    void client.call('sync.status', {}).then(
      (s) => stopWatching && setStatus(s),
      () => undefined,
    );
  refresh();
  const off = client.on('syncStatus', setStatus);
  // Connecting and disconnecting write the settings; local changes fill the journal ("N waiting").
  const offChanges = onEngineChange(client, ['settings', 'syncJournal'], 1000, refresh);
  return () => {
    off();
    offChanges();
  };
}

/** Keeps the shared status current while any caller is shown; returns it (null until the first answer). */
export function useTeamServerStatus(): TeamServerStatus | null {
  const client = useClient();
  const status = useTeamServer((s) => s.status);
  useEffect(() => {
    if (watchers++ === 0) stopWatching = watch(client);
    return () => {
      if (--watchers > 0) return;
      const stop = stopWatching;
      stopWatching = null;
      stop?.();
    };
  }, [client]);
  return status;
}

export const isConnected = (status: TeamServerStatus | null): boolean => status !== null && status.state !== 'off';

/** The dot beside the status: green synced, blue working, amber offline, red refused. */
export const STATE_TONE: Record<TeamServerState, 'green' | 'blue' | 'amber' | 'red' | 'grey'> = {
  off: 'grey',
  firstSync: 'blue',
  syncing: 'blue',
  synced: 'green',
  offline: 'amber',
  signInRefused: 'red',
};

/** A short label for the sidebar ("Synced 14:02", "Offline since 13:40 · 3 waiting"). */
export function shortStatus(status: TeamServerStatus, time: (at: number) => string): string {
  const waiting = status.waiting > 0 ? ` · ${status.waiting} waiting` : '';
  switch (status.state) {
    case 'off':
      return 'Not connected';
    case 'firstSync':
      return status.progress?.total
        ? `First sync ${Math.min(100, Math.round((status.progress.done / status.progress.total) * 100))}%`
        : 'First sync…';
    case 'syncing':
      return `Syncing…${waiting}`;
    case 'synced':
      return `Synced${status.lastSyncAt ? ` ${time(status.lastSyncAt)}` : ''}${waiting}`;
    case 'offline':
      return `Offline${status.offlineSince ? ` since ${time(status.offlineSince)}` : ''}${waiting}`;
    case 'signInRefused':
      return 'Sign-in refused';
  }
}

/** Hours and minutes in this computer's zone, e.g. "14:02" (the engine's status words use the same). */
export const clockTime = (at: number): string =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(at);

/**
 * After connecting, every engine call acts as the person signed in to the server, whatever the
 * window claimed: the window takes that person as its profile (their name, role and rights).
 */
export async function adoptSignedInPerson(client: EngineClient): Promise<Session> {
  const session = await client.call('session.get', {});
  return switchProfile(client, session.currentUser.id);
}

/** "Maria’s computer": the default name of this computer on the team server. */
export function defaultDeviceName(name: string | undefined): string {
  const first = name?.trim().split(/\s+/)[0];
  return first ? `${first}’s computer` : 'My computer';
}

/** The sign-in name suggested for a person: their first name in lower case, letters and digits only. */
export function suggestLogin(name: string): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  return first
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '');
}

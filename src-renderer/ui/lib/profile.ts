import type { Session } from '@shared/contract/session';
import type { EngineClient } from './engine-client';

const PROFILE_KEY = 'action-plans:profile';

/** The profile chosen last time on this machine (no password: one machine, one person at a time). */
export async function restoreSession(client: EngineClient): Promise<Session> {
  const saved = localStorage.getItem(PROFILE_KEY);
  if (saved) {
    client.actAs(saved);
    try {
      return await client.call('session.get', {});
    } catch {
      localStorage.removeItem(PROFILE_KEY);
    }
  }
  client.actAs(null);
  const session = await client.call('session.get', {});
  client.actAs(session.currentUser.id);
  return session;
}

/** Every later call acts as this user; the engine checks each one against the user's role. */
export async function switchProfile(client: EngineClient, userId: string): Promise<Session> {
  client.actAs(userId);
  const session = await client.call('session.get', {});
  localStorage.setItem(PROFILE_KEY, userId);
  return session;
}

import type { TeamServerStatus } from '@shared/contract/sync';
import type { EngineDeps } from '../deps';
import type { TeamServerConfig } from './session';
import { CONFIG_KEY, SyncSession } from './session';

export const OFF_STATUS: TeamServerStatus = {
  state: 'off',
  url: null,
  user: null,
  role: null,
  teamId: null,
  deviceId: null,
  deviceName: null,
  lastSyncAt: null,
  offlineSince: null,
  waiting: 0,
  progress: null,
  message: 'Not connected to a team server: everything stays on this computer.',
  problems: [],
  conflicts: 0,
};

/**
 * Owns this engine's team server session: started when this engine holds the scheduler lock (one
 * per database, like sending), from the stored configuration; replaced on connect, ended on disconnect.
 */
export class SyncController {
  private current: SyncSession | null = null;
  private active = false;
  /** The person signed in to the team server on this computer: every call acts as them (null: solo). */
  signedIn: string | null = null;

  constructor(private readonly deps: EngineDeps) {}

  get session(): SyncSession | null {
    return this.current;
  }

  async config(): Promise<TeamServerConfig | null> {
    return ((await this.deps.db.settings.get(CONFIG_KEY))?.value as TeamServerConfig | undefined) ?? null;
  }

  /** This engine runs the scheduler now (or no longer): the session follows it. */
  async setActive(active: boolean): Promise<void> {
    this.active = active;
    if (!active) {
      await this.current?.close();
      this.current = null;
      return;
    }
    const config = await this.config();
    if (config && !this.current) await this.begin(config, false);
  }

  /** Starts a session for `config` (stored by the caller); the first round runs at once. */
  async begin(config: TeamServerConfig, firstSync: boolean): Promise<SyncSession> {
    await this.current?.close();
    this.signedIn = config.userId;
    const session = new SyncSession(this.deps, config, { firstSync });
    await session.open();
    this.current = session;
    if (this.active) session.start();
    return session;
  }

  async end(): Promise<void> {
    await this.current?.close();
    this.current = null;
    this.signedIn = null;
    this.deps.db.syncJournalNotes.enabled = false;
  }

  poke(): void {
    this.current?.poke();
  }

  async status(): Promise<TeamServerStatus> {
    return this.current ? this.current.status() : OFF_STATUS;
  }
}

import type { EngineEvents } from '@shared/contract';
import type { HostTransport } from '@shared/contract/host';
import type { User } from '@shared/model/team';
import type { Clock } from './clock';
import type { AppDb } from './store/db';
import type { SyncController } from './sync/controller';

/** What every area of the engine is built from. */
export interface EngineDeps {
  db: AppDb;
  clock: Clock;
  host: HostTransport;
  /** Asks the scheduler to look for due work now (after a data change). */
  wake(): void;
  newId(): string;
  /** Pushes an event to every open view (set once the engine serves; absent in bare tests). */
  emit?: <K extends keyof EngineEvents & string>(name: K, payload: EngineEvents[K]) => void;
  /** The team server on this computer (engine/sync); absent in bare tests. */
  sync?: SyncController;
}

/** The caller of one RPC: the current user, checked on every call. */
export interface CallContext {
  user: User;
}

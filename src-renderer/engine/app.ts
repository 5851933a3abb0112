import Dexie from 'dexie';
import type { EngineContract, EngineEvents } from '@shared/contract';
import { engineContract } from '@shared/contract';
import type { HostTransport } from '@shared/contract/host';
import type { Channel } from '@shared/rpc/channel';
import type { Handlers, ParamsOf, ResultOf } from '@shared/rpc/spec';
import { serveRpc, zodToAppError } from '@shared/rpc/server';
import type { Clock } from './clock';
import { createChannelsHandlers } from './channels/app';
import type { CallContext, EngineDeps } from './deps';
import { createEnrollmentsHandlers } from './enrollments/app';
import { startAutoBackup } from './exchange/auto-backup';
import { createExchangeHandlers } from './exchange/app';
import { createEnrollmentsBulkHandlers } from './enrollments-bulk/app';
import { createIdFactory } from './ids';
import { createLeadsHandlers } from './leads/app';
import { createLeadWorkspaceHandlers } from './leads/workspace';
import { createOutboxHandlers } from './outbox/app';
import { createPlanToolsHandlers } from './plan-tools/app';
import { createQueueHandlers } from './outbox/queue-app';
import { createPlansHandlers } from './plans/app';
import { createReplyWatcher } from './replies/watcher';
import type { SchedulerLock, SchedulerLoop } from './runtime';
import { createSchedulerLoop } from './runtime';
import { ensureAccount, resolveUser } from './session/account';
import { createSettingsHandlers } from './settings/app';
import type { AppDb } from './store/db';
import { createSystemHandlers } from './system/app';
import { createTasksHandlers } from './tasks/app';
import { createTemplatesHandlers } from './templates/app';
import { createRoutingHandlers } from './routing/app';
import { routingHooks } from './routing/hooks';
import { createTeamHandlers } from './team/app';
import { applyGuards, teamGuards } from './team/guards';
import { createSyncHandlers } from './sync/app';
import { SyncController } from './sync/controller';
import { CONFIG_KEY } from './sync/session';

export interface EngineOptions {
  db: AppDb;
  clock: Clock;
  host: HostTransport;
  lock: SchedulerLock;
  testMode?: boolean;
}

export interface Engine {
  deps: EngineDeps;
  scheduler: SchedulerLoop;
  handlers: Handlers<EngineContract, CallContext>;
  /** Serves the contract on one more channel (a UI window, a tab, main's own port) until its client says goodbye. */
  serve(channel: Channel): void;
  /** How many channels are served now (closed windows are dropped). */
  connections(): number;
  /** Calls a handler in-process (tests, and the engine's own jobs) as the given user. */
  call<K extends keyof EngineContract>(
    method: K,
    params: ParamsOf<EngineContract[K]>,
    as?: string | null,
  ): Promise<ResultOf<EngineContract[K]>>;
  close(): void;
}

/** Builds the engine: store, services, scheduler, and the change events pushed to every open view. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  let scheduler: SchedulerLoop | null = null;
  const deps: EngineDeps = {
    db: options.db,
    clock: options.clock,
    host: options.host,
    newId: createIdFactory(),
    wake: () => scheduler?.wake(),
  };
  await options.db.open();
  await ensureAccount(deps);
  const sync = new SyncController(deps);
  deps.sync = sync;
  // Every engine on this store notes its writes for the team server once this computer joined one
  // (a second tab's engine too); only the engine that runs the scheduler syncs.
  // A computer connected to the team server is its signed-in person's (the server's word): every
  // call acts as them, whichever profile a view claims.
  const refreshJournal = async (): Promise<void> => {
    const config = (await options.db.settings.get(CONFIG_KEY))?.value as { userId?: string } | undefined;
    options.db.syncJournalNotes.enabled = config !== undefined;
    sync.signedIn = config?.userId ?? null;
  };
  await refreshJournal();
  scheduler = createSchedulerLoop(deps, options.lock);
  const loop = scheduler;
  const replies = createReplyWatcher(deps);

  // Permission checks and routing are wrappers composed here, not code inside each handler.
  const handlers: Handlers<EngineContract, CallContext> = applyGuards(
    {
      ...createLeadsHandlers(deps),
      ...createLeadWorkspaceHandlers(deps),
      ...createPlansHandlers(deps),
      ...createEnrollmentsHandlers(deps),
      ...createSettingsHandlers(deps),
      ...createOutboxHandlers(deps),
      ...createQueueHandlers(deps),
      ...createSystemHandlers(deps, loop, options.testMode ?? false),
      ...createTasksHandlers(deps),
      ...createTeamHandlers(deps),
      ...createRoutingHandlers(deps),
      ...createChannelsHandlers(deps, replies),
      ...createExchangeHandlers(deps, (name, payload) => emit(name, payload)),
      ...createTemplatesHandlers(deps),
      ...createPlanToolsHandlers(deps),
      // `emit` is defined below; bulk actions only call it later, while they run.
      ...createEnrollmentsBulkHandlers(deps, (name, payload) => emit(name, payload)),
      ...createSyncHandlers(deps, sync),
    },
    { ...teamGuards(deps), ...routingHooks(deps) },
  );

  const servers: { emit(name: string, payload: unknown): void; close(): void }[] = [];
  const emit = <K extends keyof EngineEvents & string>(name: K, payload: EngineEvents[K]): void => {
    for (const s of servers) s.emit(name, payload);
  };
  deps.emit = emit;

  // Every committed write — in this engine, another tab's engine or a worker — names its tables here.
  // Views re-query on `changed`; the scheduler wakes when work may have become due.
  let pending = new Set<string>();
  let flush: ReturnType<typeof setTimeout> | null = null;
  const onMutated = (parts: Record<string, unknown>): void => {
    for (const key of Object.keys(parts)) {
      const m = /^idb:\/\/([^/]+)\/([^/]+)\//.exec(key);
      if (m && m[1] === options.db.name && m[2]) pending.add(m[2]);
    }
    if (pending.size === 0 || flush) return;
    flush = setTimeout(() => {
      const tables = [...pending];
      pending = new Set();
      flush = null;
      emit('changed', { tables });
      if (tables.some((t) => ['enrollments', 'outbox', 'plans', 'settings'].includes(t))) loop.wake();
      if (tables.includes('syncJournal')) sync.poke();
      if (tables.includes('settings')) void refreshJournal().catch(() => undefined);
    }, 30);
  };
  Dexie.on('storagemutated', onMutated);
  loop.onStateChange((running) => emit('schedulerState', { running }));
  // The engine that runs the scheduler also watches for replies (one per database, like sending).
  loop.onStateChange((running) => (running ? replies.start() : replies.stop()));
  // And syncs with the team server (one per database, like sending and replies).
  loop.onStateChange(
    (running) => void sync.setActive(running).catch((err: unknown) => console.error('team server sync could not start', err)),
  );
  startAutoBackup(deps, loop);

  const context = async (as: string | null): Promise<CallContext> => {
    return { user: await resolveUser(deps, sync.signedIn ?? as) };
  };

  return {
    deps,
    scheduler: loop,
    handlers,
    serve(channel) {
      const server: (typeof servers)[number] = serveRpc(channel, engineContract, handlers, {
        context,
        // A closed window's port is dropped: no events are posted to it and it can be collected.
        onClose: (): void => void servers.splice(servers.indexOf(server), 1),
      });
      servers.push(server);
    },
    connections: () => servers.length,
    async call<K extends keyof EngineContract>(method: K, params: ParamsOf<EngineContract[K]>, as: string | null = null) {
      const parsed = engineContract[method].params.safeParse(params);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const handler = handlers[method] as (p: unknown, c: CallContext) => Promise<ResultOf<EngineContract[K]>>;
      return handler(parsed.data, await context(as));
    },
    close() {
      Dexie.on('storagemutated').unsubscribe(onMutated);
      void sync.end();
      loop.stop();
      for (const s of servers) s.close();
      options.db.close();
    },
  };
}

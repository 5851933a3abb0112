import { DateTime } from 'luxon';
import type { SyncProblem, TeamServerState, TeamServerStatus } from '@shared/contract/sync';
import type { LeadId, UserId } from '@shared/model/ids';
import type { Role } from '@shared/model/team';
import type { TeamDatabases } from '@shared/sync/server';
import { readServerRoles, teamDatabases } from '@shared/sync/server';
import type { EngineDeps } from '../deps';
import type { ServerAccount } from './couch';
import { couchJson, hostFetch, normalizeUrl, ServerError, TEAM_PASSWORD_SECRET } from './couch';
import { afterApplied, letGo } from './effects';
import type { InboundReport } from './inbound';
import { applyInbound } from './inbound';
import { flushOutbound } from './outbound';
import { settleQuotaClaims } from './team-quota';
import type { PouchDatabase, PouchStatic, ReplicationInfo } from './pouch';
import { loadPouch } from './pouch';
import type { SyncIdentity } from './tables';
import { isManager } from './tables';

/** This computer's tie to the team server, kept in its own settings (never sent): where, who, which computer. */
export interface TeamServerConfig {
  url: string;
  user: string;
  teamId: string;
  userId: UserId;
  role: Role;
  deviceId: string;
  deviceName: string;
  connectedAt: number;
}

export const CONFIG_KEY = 'teamServer';

/** How often a computer that is online looks for the team's changes. */
export const POLL_MS = 3_000;
const MAX_BACKOFF_MS = 60_000;
const PROBLEMS_KEPT = 50;

export interface SignedIn {
  teamId: string;
  userId: UserId;
  role: Role;
  name: string;
}

/** Signs in and reads who this is on the team from the server's roles (the server's word is the authority). */
export async function signIn(deps: EngineDeps, account: ServerAccount): Promise<SignedIn> {
  const { status, json } = await couchJson<{ userCtx?: { name?: string | null; roles?: string[] }; couchdb?: string }>(
    deps.host,
    account,
    'GET',
    '_session',
  );
  if (status === 401) throw new ServerError(`The server refused the name or password for ${account.user}.`, 401, 'unauthorized');
  if (status !== 200 || !json?.userCtx)
    throw new ServerError(`The server at ${account.url} answered ${status}: is it a CouchDB server?`, status, 'not_couchdb');
  if (!json.userCtx.name) throw new ServerError(`The server did not accept the sign-in for ${account.user}.`, 401, 'unauthorized');
  const team = readServerRoles(json.userCtx.roles ?? []);
  if (!team) {
    throw new ServerError(
      `${account.user} signed in, but is not a member of an Action Plans team on this server. Ask your manager to invite you (Team → Team server).`,
      403,
      'not_member',
    );
  }
  return { teamId: team.prefix.slice(3, -1), userId: team.userId as UserId, role: team.role, name: json.userCtx.name };
}

export function identityOf(config: TeamServerConfig): SyncIdentity {
  return { userId: config.userId, role: config.role, deviceId: config.deviceId, dbs: teamDatabases(config.teamId) };
}

/** The databases this computer replicates: the team's, its leads (all of them for a manager), its personal plans. */
export function databasesOf(me: SyncIdentity): string[] {
  return [me.dbs.team, isManager(me.role) ? me.dbs.leads : me.dbs.user(me.userId), me.dbs.personal(me.userId)];
}

/** Each store keeps its own mirrors (two stores on one machine, as in the tests, never share one). */
const mirrorName = (store: string, db: string): string => `ap-mirror-${store}-${db}`;

/**
 * The team server on this computer (docs/design.md §9): hands local changes to the mirrors, replicates
 * each mirror with its database on the server (PouchDB, the CouchDB protocol), takes what arrived
 * into the store, and says where it stands. Runs on the engine that holds the scheduler lock.
 */
export class SyncSession {
  readonly me: SyncIdentity;
  private pouch: PouchStatic | null = null;
  private readonly mirrors = new Map<string, PouchDatabase>();
  private readonly remotes = new Map<string, PouchDatabase>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private failures = 0;
  private state: TeamServerState = 'syncing';
  private lastSyncAt: number | null = null;
  private offlineSince: number | null = null;
  private unpushed = 0;
  private progress: TeamServerStatus['progress'] = null;
  private problems: SyncProblem[] = [];
  private conflicts = 0;
  private firstSync: boolean;

  constructor(
    private readonly deps: EngineDeps,
    readonly config: TeamServerConfig,
    options: { firstSync: boolean },
  ) {
    this.me = identityOf(config);
    this.firstSync = options.firstSync;
    if (this.firstSync) this.state = 'firstSync';
  }

  get account(): ServerAccount {
    return { url: this.config.url, user: this.config.user, passwordSecret: TEAM_PASSWORD_SECRET };
  }

  async open(): Promise<void> {
    this.pouch = await loadPouch();
    for (const db of databasesOf(this.me)) {
      this.mirrors.set(db, new this.pouch(mirrorName(this.deps.db.name, db), { adapter: 'idb', auto_compaction: true, revs_limit: 100 }));
      this.remotes.set(
        db,
        new this.pouch(`${normalizeUrl(this.config.url)}/${db}`, { fetch: hostFetch(this.deps.host, this.account), skip_setup: true }),
      );
    }
    this.deps.db.syncJournalNotes.enabled = true;
  }

  /** Starts the loop: a round now, then every POLL_MS (longer while the server cannot be reached). */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A local change was written: send it soon. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(200);
  }

  async close(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
    this.deps.db.syncJournalNotes.enabled = false;
    for (const db of [...this.mirrors.values(), ...this.remotes.values()]) await db.close().catch(() => undefined);
  }

  /** Forgets this computer's mirrors (after it leaves the team). */
  async destroyMirrors(): Promise<void> {
    for (const db of this.mirrors.values()) await db.destroy().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => {
        const wait = this.again
          ? 0
          : this.state === 'offline'
            ? Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** Math.min(this.failures, 5))
            : POLL_MS;
        this.again = false;
        this.schedule(wait);
      });
    }, ms);
  }

  /** One round: local changes to the mirrors, each mirror both ways with the server, what arrived into the store. */
  runOnce(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const { deps, me } = this;
    const now = () => deps.clock.now();
    try {
      await this.registerDevice();
      await this.flush();
      let refused = 0;
      for (const [name, mirror] of this.mirrors) {
        const remote = this.remotes.get(name)!;
        const pushed = await this.replicate(mirror, remote, 'sending');
        refused += this.notePushFailures(pushed);
        await this.replicate(remote, mirror, 'receiving');
      }
      this.unpushed = 0;
      let again = true;
      for (let rounds = 0; again && rounds < 5; rounds++) {
        again = false;
        for (const [name, mirror] of this.mirrors) {
          this.progress = this.firstSync ? { phase: 'applying', done: 0, total: null } : this.progress;
          const report = await applyInbound(deps, me, name, mirror, (done) => {
            if (this.firstSync) this.progress = { phase: 'applying', done, total: null };
            this.emit();
          });
          this.noteInbound(report);
          const wrote = await afterApplied(deps, me, report, this);
          if (wrote || report.merges.length > 0) again = true;
        }
        if (again) {
          await this.flush();
          for (const [name, mirror] of this.mirrors)
            refused += this.notePushFailures(await this.replicate(mirror, this.remotes.get(name)!, 'sending'));
        }
      }
      // A lead goes only once everything written here about it is on the server: a refused push keeps it (the status names it).
      if (this.lost.size > 0 && refused === 0 && (await this.deps.db.syncJournal.count()) === 0) {
        const leads = [...this.lost];
        await letGo(deps, this.mirrors.get(databasesOf(me)[1]!)!, leads);
        for (const id of leads) this.lost.delete(id);
        for (const [name, mirror] of this.mirrors) await this.replicate(mirror, this.remotes.get(name)!, 'sending');
      }
      // Manual assignments made here take their count from the team's daily counter on the server.
      for (const reason of await settleQuotaClaims(deps, me, this.account)) this.addProblem('capDay', reason);
      this.state = 'synced';
      this.failures = 0;
      this.offlineSince = null;
      this.lastSyncAt = now();
      this.firstSync = false;
      this.progress = null;
    } catch (err) {
      this.failures++;
      if (err instanceof ServerError && err.status === 401) this.state = 'signInRefused';
      else {
        this.state = 'offline';
        this.offlineSince ??= now();
      }
      this.lastError = err instanceof Error ? err.message : String(err);
    } finally {
      this.emit();
    }
  }

  private registered = false;

  /**
   * This computer in the team's list of computers (`devices`, shared): the runner rule hands a lead's
   * enrollments to its new person's home computer, found there. Written once per session when missing
   * or renamed; a day's first round notes it was seen.
   */
  private async registerDevice(): Promise<void> {
    if (this.registered) return;
    const { db, clock } = this.deps;
    const now = clock.now();
    const known = await db.devices.get(this.config.deviceId);
    if (!known || known.name !== this.config.deviceName || now - known.lastSeenAt > 86_400_000) {
      await db.devices.put({
        id: this.config.deviceId,
        userId: this.config.userId,
        name: this.config.deviceName,
        firstSeenAt: known?.firstSeenAt ?? this.config.connectedAt,
        lastSeenAt: now,
      });
    }
    this.registered = true;
  }

  private lastError: string | null = null;
  private readonly lost = new Set<LeadId>();

  /** A lead left this user: it goes from this computer after its hand-over is on the server. */
  loseLead(leadId: LeadId): void {
    this.lost.add(leadId);
  }

  private async flush(): Promise<void> {
    const report = await flushOutbound(this.deps.db, this.me, this.mirrors, () => this.deps.clock.now());
    this.unpushed += report.written;
    for (const r of report.refused) this.addProblem(r.docId, `not sent: ${r.reason}`);
  }

  private async replicate(source: PouchDatabase, target: PouchDatabase, phase: 'sending' | 'receiving'): Promise<ReplicationInfo> {
    const replication = this.pouch!.replicate(source, target, { batch_size: 200, batches_limit: 5 });
    if (this.firstSync) {
      let total: number | null = null;
      void source
        .info()
        .then((i) => (total = i.doc_count))
        .catch(() => undefined);
      void replication.on('change', (info) => {
        this.progress = { phase, done: info.docs_written, total };
        this.emit();
      });
    }
    try {
      return await replication;
    } catch (err) {
      const e = err as { status?: number; message?: string; reason?: string; name?: string };
      if (e.status === 401)
        throw new ServerError(
          `The server refused the password for ${this.config.user}: enter it again in Settings → Team server.`,
          401,
          'unauthorized',
        );
      if (typeof e.status === 'number' && e.status >= 400)
        throw new ServerError(
          `The team server at ${this.config.url} answered ${e.status}${e.name ? ` (${e.name})` : ''}: ${e.reason ?? e.message ?? 'no reason given'}`,
          e.status,
          'offline',
        );
      throw new ServerError(
        `The team server at ${this.config.url} cannot be reached: ${e.reason ?? e.message ?? e.name ?? 'no answer'}`,
        null,
        'offline',
      );
    }
  }

  /** Names each document the server refused in the status; returns how many. */
  private notePushFailures(info: ReplicationInfo): number {
    const errors = info.errors as { id?: string; reason?: string; message?: string }[];
    for (const e of errors) this.addProblem(e.id ?? 'unknown', `the server refused it: ${e.reason ?? e.message ?? 'no reason given'}`);
    return errors.length;
  }

  private noteInbound(report: InboundReport): void {
    for (const i of report.ignored) this.addProblem(i.docId, `not used: ${i.reason}`);
    this.conflicts += report.merges.length;
  }

  addProblem(docId: string, reason: string): void {
    this.problems = [{ docId, reason, at: this.deps.clock.now() }, ...this.problems.filter((p) => p.docId !== docId)].slice(
      0,
      PROBLEMS_KEPT,
    );
  }

  private emit(): void {
    this.deps.emit?.('syncStatus', this.statusNow());
  }

  /** The status line, without reading the store (the waiting count is added by `status`). */
  private statusNow(waiting = this.unpushed): TeamServerStatus {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const time = (at: number) => DateTime.fromMillis(at, { zone }).toFormat('HH:mm');
    const waitingWords = waiting === 0 ? '' : `${waiting} change${waiting === 1 ? '' : 's'} wait${waiting === 1 ? 's' : ''} here`;
    let message: string;
    switch (this.state) {
      case 'firstSync':
        message = this.progress
          ? `First sync: ${this.progress.phase} ${this.progress.done.toLocaleString('en-US')}${this.progress.total ? ` of ${this.progress.total.toLocaleString('en-US')}` : ''} records…`
          : 'First sync: connecting…';
        break;
      case 'offline':
        message =
          `Offline since ${time(this.offlineSince ?? this.deps.clock.now())}${waitingWords ? `: ${waitingWords} and go out when the server is back` : ''}. ${this.lastError ?? ''}`.trim();
        break;
      case 'signInRefused':
        message = this.lastError ?? 'The server refused the sign-in: enter the password again.';
        break;
      case 'synced':
        message = `Synced at ${time(this.lastSyncAt ?? this.deps.clock.now())}${waitingWords ? `; ${waitingWords}` : ''}`;
        break;
      default:
        message = 'Syncing…';
    }
    return {
      state: this.state,
      url: this.config.url,
      user: this.config.user,
      role: this.config.role,
      teamId: this.config.teamId,
      deviceId: this.config.deviceId,
      deviceName: this.config.deviceName,
      lastSyncAt: this.lastSyncAt,
      offlineSince: this.offlineSince,
      waiting,
      progress: this.progress,
      message,
      problems: this.problems,
      conflicts: this.conflicts,
    };
  }

  async status(): Promise<TeamServerStatus> {
    const journal = await this.deps.db.syncJournal.toArray();
    const waiting = this.unpushed + journal.reduce((n, j) => n + (j.all ? 1 : j.keys.length), 0);
    return this.statusNow(waiting);
  }

  databases(): TeamDatabases {
    return this.me.dbs;
  }

  mirror(db: string): PouchDatabase | undefined {
    return this.mirrors.get(db);
  }
}

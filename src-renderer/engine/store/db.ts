import Dexie from 'dexie';
import type { Table, Transaction } from 'dexie';
import type { Enrollment, Execution } from '@shared/model/enrollment';
import { HERE } from '@shared/model/enrollment';
import type { HistoryEntry } from '@shared/model/history';
import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { OutboxMessage } from '@shared/model/outbox';
import { accountKeyOf } from '@shared/model/outbox';
import type { Plan } from '@shared/model/plan';
import type { Task } from '@shared/model/task';
import type { DeliveryAttempt } from '@shared/model/channels';
import type { Account, LeadRoutingSettings, RoutingRule, User } from '@shared/model/team';
import type { LeadEnrollmentSummary, LeadOwnIndexFields } from './lead-derived';
import { emptyEnrollmentSummary, enrollmentSummary, leadOwnIndexFields } from './lead-derived';
import { LeadChangeFeed } from './lead-changes';
import {
  DB_NAME,
  schemaV1,
  schemaV10,
  schemaV11,
  schemaV12,
  schemaV13,
  schemaV14,
  schemaV2,
  schemaV3,
  schemaV5,
  schemaV6,
  schemaV8,
} from './schema';
import { enrollmentRunner } from './enrollment-runner';
import type { JournalRow } from './sync-journal';
import { SyncJournal } from './sync-journal';
import { leadSearchWords } from './search-key';
import { tableMutations } from './table-mutations';
import { txReadCache } from './tx-read-cache';
import { WriteCount } from './write-count';

/**
 * Dexie turns its debug mode on by the page's address (localhost and 127.0.0.1), which is where web
 * mode's engine runs: every request then makes a console task and async stack, about a tenth of a
 * scheduler pass (npm run bench). The engine runs the same way in every shell.
 */
Dexie.debug = false;

/**
 * A lead as stored: the domain lead plus derived index fields. The v6 fields are optional for
 * writers: the `creating`/`updating` hooks below fill them, so every writer keeps the indexes right.
 */
export interface LeadRow extends Lead, Partial<LeadOwnIndexFields>, Partial<LeadEnrollmentSummary> {
  searchWords: string[];
  lastActivityAt?: EpochMs;
  /**
   * How a lead that came in bulk was created: its timeline's first line ("created by CSV import")
   * is made from the row (leads/timeline.ts) instead of being stored, one write per row fewer.
   */
  createdVia?: 'csv';
}

/** A deleted lead, kept so the delete can be undone (and nothing is lost). */
export interface LeadTrashRow {
  id: LeadId;
  batchId: string;
  deletedAt: EpochMs;
  lead: LeadRow;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export interface TemplateRow {
  id: string;
  kind: 'email' | 'sms';
  name: string;
  subject: string;
  body: string;
}

/** A reply (email or text) already handled: its id is the message's identity in its mailbox or gateway. */
export interface InboundRow {
  id: string;
  leadId: string | null;
  at: number;
}

/** One message handed to a sending account, counted in its rolling windows (reserved when claimed). */
export interface SendRow {
  /** outboxId:attempt */
  id: string;
  key: string;
  at: EpochMs;
  outboxId: OutboxId;
}

/** What holds one sending account back: its window is full until `notBefore`, or the provider pushed back. */
export interface SendLaneRow {
  key: string;
  notBefore: EpochMs | null;
  pausedUntil: EpochMs | null;
  pausedAt: EpochMs | null;
  /** The server's words that caused the pause. */
  pauseResponse: string | null;
  pauseReason: string | null;
  /** Push-backs in a row without a successful send between them: each one doubles the pause. */
  throttles: number;
}

/** One computer of the team (replicated): whose it is and what it is called, for "runs on Maria's laptop". */
export interface DeviceRow {
  id: string;
  userId: UserId;
  name: string;
  firstSeenAt: EpochMs;
  lastSeenAt: EpochMs;
}

/** A conflict between two computers' edits that sync resolved: what was kept, what lost and why. */
export interface SyncConflictRow {
  id: string;
  at: EpochMs;
  kind: string;
  docId: string;
  summary: string;
}

export interface StoreOptions {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export class AppDb extends Dexie {
  account!: Table<Account, 'account'>;
  users!: Table<User, UserId>;
  leads!: Table<LeadRow, LeadId>;
  plans!: Table<Plan, PlanId>;
  enrollments!: Table<Enrollment, EnrollmentId>;
  /** Executions written before store v13; since then each is on its step's history line (schema.ts). */
  executions!: Table<Execution, string>;
  outbox!: Table<OutboxMessage, OutboxId>;
  history!: Table<HistoryEntry, string>;
  templates!: Table<TemplateRow, string>;
  settings!: Table<SettingRow, string>;
  tasks!: Table<Task, string>;
  routingRules!: Table<RoutingRule, string>;
  leadRoutingSettings!: Table<LeadRoutingSettings, UserId>;
  /** Manual assignments made on one account day (YYYY-MM-DD in the account's zone). */
  assignmentDays!: Table<{ day: string; count: number }, string>;
  deliveries!: Table<DeliveryAttempt, string>;
  inbound!: Table<InboundRow, string>;
  sends!: Table<SendRow, string>;
  sendLanes!: Table<SendLaneRow, string>;
  leadTrash!: Table<LeadTrashRow, LeadId>;
  syncJournal!: Table<JournalRow, number>;
  devices!: Table<DeviceRow, string>;
  syncConflicts!: Table<SyncConflictRow, string>;
  /** Notes writes for the team server once this computer joined one (store/sync-journal.ts). */
  readonly syncJournalNotes = new SyncJournal();
  readonly leadChanges = new LeadChangeFeed();
  /** Committed writes, so a multi-transaction reader (the backup) can tell it read one state. */
  readonly writes: WriteCount;

  constructor(
    name = DB_NAME,
    /** Which IndexedDB to use (tests: fake-indexeddb); kept so a scratch store can be opened beside this one. */
    readonly options?: StoreOptions,
  ) {
    super(name, options);
    this.unuse({ stack: 'dbcore', name: 'Observability' });
    this.use(tableMutations);
    this.writes = new WriteCount(name);
    this.use(this.writes.middleware);
    this.version(schemaV1.version).stores(schemaV1.stores);
    this.version(schemaV2.version)
      .stores(schemaV2.stores)
      .upgrade(async (tx: Transaction) => {
        await tx
          .table<LeadRow, LeadId>('leads')
          .toCollection()
          .modify((lead) => {
            lead.searchWords = leadSearchWords(lead);
          });
      });
    this.version(schemaV3.version).stores(schemaV3.stores);
    this.version(schemaV5.version).stores(schemaV5.stores);
    this.version(schemaV6.version)
      .stores(schemaV6.stores)
      .upgrade(async (tx: Transaction) => {
        const byLead = new Map<string, Enrollment[]>();
        await tx.table<Enrollment, EnrollmentId>('enrollments').each((e) => byLead.set(e.leadId, [...(byLead.get(e.leadId) ?? []), e]));
        await tx
          .table<LeadRow, LeadId>('leads')
          .toCollection()
          .modify((lead) => {
            Object.assign(lead, leadOwnIndexFields(lead), enrollmentSummary(byLead.get(lead.id) ?? []));
            lead.lastActivityAt = lead.updatedAt;
          });
      });
    this.version(schemaV8.version).stores(schemaV8.stores);
    this.version(schemaV10.version)
      .stores(schemaV10.stores)
      .upgrade(async (tx: Transaction) => {
        await tx
          .table<OutboxMessage, OutboxId>('outbox')
          .toCollection()
          .modify((m) => {
            m.priority ??= 'normal';
            m.accountKey = accountKeyOf(m);
          });
      });
    this.version(schemaV11.version)
      .stores(schemaV11.stores)
      .upgrade(async (tx: Transaction) => {
        await tx
          .table<Enrollment, EnrollmentId>('enrollments')
          .filter((e) => e.engaged && e.engagedAt == null)
          .modify((e) => {
            e.engagedAt = e.updatedAt;
          });
      });
    this.version(schemaV12.version).stores(schemaV12.stores);
    this.version(schemaV13.version).stores(schemaV13.stores);
    this.version(schemaV14.version)
      .stores(schemaV14.stores)
      .upgrade(async (tx: Transaction) => {
        await tx
          .table<Enrollment, EnrollmentId>('enrollments')
          .toCollection()
          .modify((e) => {
            e.runner ??= HERE;
          });
      });
    this.use(this.syncJournalNotes.middleware);
    this.use(enrollmentRunner);
    // Every writer of the outbox (each step kind, tasks) gets the picking fields without knowing about them.
    this.outbox.hook('creating', (_key, m) => {
      m.priority ??= 'normal';
      m.accountKey = accountKeyOf(m);
    });
    this.use(this.leadChanges.middleware);
    this.keepLeadIndexFields();
    this.use(
      txReadCache({
        plans: 'all',
        users: 'all',
        account: 'all',
        settings: 'all',
        templates: 'all',
        routingRules: 'all',
        leadRoutingSettings: 'all',
        leads: 'rows',
        enrollments: 'rows',
      }),
    );
  }

  override close(closeOptions?: { disableAutoOpen: boolean }): void {
    this.writes.dispose();
    super.close(closeOptions);
  }

  /** Every write of a lead, by any area, recomputes the fields the workspace's indexes read. */
  private keepLeadIndexFields(): void {
    const feed = this.leadChanges;
    this.leads.hook('creating', function (_key, row, tx) {
      feed.note(tx, 'all');
      Object.assign(row, leadOwnIndexFields(row));
      row.planIds ??= emptyEnrollmentSummary.planIds;
      row.enrollmentStates ??= emptyEnrollmentSummary.enrollmentStates;
      row.activePlanCount ??= 0;
      row.nextDueAt ??= null;
      row.lastActivityAt ??= row.updatedAt;
      const after = { ...row };
      this.onsuccess = () => feed.noteRow(tx, after.id, after);
    });
    this.leads.hook('updating', function (mods, _key, row, tx) {
      const next: LeadRow = { ...row, assignees: { ...row.assignees } };
      for (const [path, value] of Object.entries(mods)) Dexie.setByKeyPath(next, path, value);
      const own = leadOwnIndexFields(next);
      // Dexie may report an array as modified when only its instance changed: compare values.
      const fields = [...new Set(Object.keys(mods).map((p) => p.split('.')[0]!))].filter(
        (f) =>
          JSON.stringify((row as unknown as Record<string, unknown>)[f]) !==
          JSON.stringify((next as unknown as Record<string, unknown>)[f]),
      );
      if (own.nameKey !== row.nameKey) fields.push('nameKey', 'searchWords');
      if (own.assigneeIds.join() !== row.assigneeIds?.join()) fields.push('assigneeIds');
      feed.note(tx, fields);
      const after: LeadRow = { ...next, ...own };
      this.onsuccess = () => feed.noteRow(tx, row.id, after);
      return own;
    });
    this.leads.hook('deleting', function (key, _row, tx) {
      feed.note(tx, 'all');
      this.onsuccess = () => feed.noteRow(tx, key, null);
    });
  }
}

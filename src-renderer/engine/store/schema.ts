/**
 * Every schema version of the store, oldest first. Dexie applies them in order; an upgrade
 * function migrates rows written by the previous version. Never edit a released version:
 * add a new one (the migration test opens data written by version 1).
 */
export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
}

export const schemaV1: SchemaVersion = {
  version: 1,
  stores: {
    account: 'id',
    users: 'id, email',
    leads: 'id, email, phone, createdAt, updatedAt',
    plans: 'id, status, updatedAt',
    // [state+nextDueAt] lets the scheduler read due work without scanning (DESIGN §5);
    // rows with nextDueAt = null are not in that index at all.
    enrollments: 'id, leadId, planId, [leadId+planId], [state+nextDueAt], [planId+state]',
    // The key enrollmentId:iteration:stepId is the primary key: a step can never run twice.
    executions: 'key, enrollmentId, leadId',
    outbox: 'id, &idempotencyKey, [status+nextAttemptAt], leadId, createdAt',
    history: 'id, leadId, [leadId+at]',
    templates: 'id, kind',
    settings: 'key',
  },
};

/** v2: leads get `searchWords` (a multi-entry index of name, email and phone words) so search reads an index. */
export const schemaV2: SchemaVersion = {
  version: 2,
  stores: { leads: 'id, email, phone, createdAt, updatedAt, *searchWords' },
};

export const DB_NAME = 'action-plans';

/** v3: tasks (contact reminders, call tasks, messages to review) by assignee and due time. */
export const schemaV3: SchemaVersion = {
  version: 3,
  stores: { tasks: 'id, leadId, [assigneeId+status+dueAt], [status+dueAt], outboxId' },
};

/**
 * v5 (team rules): routing rules, each user's Lead Routing Settings, and one manual-assignment
 * counter per account day. Leads get an index on their lender so a lender's list reads an index;
 * the leads string below is the full one (v2's plus `[assignees.lender+createdAt]`, which pages a lender's own leads newest first).
 */
export const schemaV5: SchemaVersion = {
  version: 5,
  stores: {
    leads: 'id, email, phone, createdAt, updatedAt, *searchWords, [assignees.lender+createdAt]',
    routingRules: 'id, order',
    leadRoutingSettings: 'userId',
    assignmentDays: 'day',
  },
};

/**
 * v8 (channels): `deliveries` keeps every attempt of an outbox message (webhook monitor: status,
 * answer, timing, masked request); `inbound` remembers each reply already handled so a re-read
 * never counts twice; outbox gains a `providerMessageId` index to match replies by In-Reply-To.
 * outbox is the FULL v1 index string plus providerMessageId.
 */
export const schemaV8: SchemaVersion = {
  version: 8,
  stores: {
    outbox: 'id, &idempotencyKey, [status+nextAttemptAt], leadId, createdAt, providerMessageId',
    deliveries: 'id, outboxId, [leadId+at], [channel+at]',
    inbound: 'id, leadId',
  },
};

/**
 * v10: sending limits (issue 11). The outbox is picked per sending account by priority then due time
 * (full index string: the v1 indexes plus [status+accountKey+priority+nextAttemptAt]); `sends` holds one
 * row per send (reserved at claim time) so rolling windows are counted from the store, shared by every
 * engine and kept across restarts; `sendLanes` holds each account's "not before" and push-back pause.
 * The outbox string also keeps v8's `providerMessageId` (replies are matched by In-Reply-To).
 */
export const schemaV10: SchemaVersion = {
  version: 10,
  stores: {
    outbox: 'id, &idempotencyKey, [status+nextAttemptAt], leadId, createdAt, [status+accountKey+priority+nextAttemptAt], providerMessageId',
    sends: 'id, [key+at]',
    sendLanes: 'key',
  },
};

/**
 * v6: the lead workspace. Leads get indexes for every sortable column and facet, over fields
 * derived on write (store/lead-derived.ts): `nameKey` (lower-cased name), `assigneeIds`, and the
 * enrollment summary kept by leads/touch.ts (`planIds`, `enrollmentStates`, `activePlanCount`,
 * `nextDueAt`, `lastActivityAt`). Deleted leads move to `leadTrash` so a delete can be undone.
 * Full strings: leads = v5's indexes plus the new ones; history = v1 plus [kind+at].
 */
export const schemaV6: SchemaVersion = {
  version: 6,
  stores: {
    leads:
      'id, email, phone, createdAt, updatedAt, *searchWords, [assignees.lender+createdAt], assignees.lender, nameKey, stage, source, *tags, *assigneeIds, *planIds, *enrollmentStates, activePlanCount, nextDueAt, lastActivityAt',
    leadTrash: 'id, batchId, deletedAt',
    // [kind+at]: the notifications center reads failures and replies across all leads, newest first.
    history: 'id, leadId, [leadId+at], [kind+at]',
  },
};

/**
 * v11: the plan list's "engaged" count reads an index of engaged enrollments per plan (it counted
 * by reading every enrollment of the plan, on every refresh). Full string: v1 plus [planId+engagedAt].
 */
export const schemaV11: SchemaVersion = {
  version: 11,
  stores: {
    enrollments: 'id, leadId, planId, [leadId+planId], [state+nextDueAt], [planId+state], [planId+engagedAt]',
  },
};

/**
 * v12: every row keeps only the indexes something still queries. Each index is written on every put,
 * and the scheduler writes a lead, an enrollment, an execution and a history line per step, the CSV
 * import a lead and a history line per row (npm run bench). The fields stay on the rows.
 * - leads: the workspace's sort orders and facets live in the engine's memory (leads/lead-index.ts), so
 *   name, stage, source, tags, plans, enrollment states, plan count, next due, last activity and
 *   updatedAt were only ever written; `assignees.lender` is the compound lender index's prefix; the
 *   email's and its local part's search words are served by the email index, and who works which
 *   leads (`assigneeIds`) by the lead index too. Kept: email and
 *   phone (reply matching, import dedupe, email search), createdAt (lists, export, the first screen
 *   after start, before the lead index is built: the table opens sorted by creation), searchWords
 *   (search) and the lender's own leads (a lender's list, before any index is built).
 * - enrollments: `leadId` and `planId` are prefixes of [leadId+planId] and [planId+state]; store/queries.ts
 *   reads through those.
 * - executions: looked up by key only. history: by [leadId+at] and [kind+at] only.
 */
export const schemaV12: SchemaVersion = {
  version: 12,
  stores: {
    leads: 'id, email, phone, createdAt, *searchWords, [assignees.lender+createdAt]',
    enrollments: 'id, [leadId+planId], [state+nextDueAt], [planId+state], [planId+engagedAt]',
    executions: 'key',
    history: 'id, [leadId+at], [kind+at]',
  },
};

/**
 * v13: a step's execution is stored on the history line that tells what the step did (its
 * `execution`), under a unique index of its key: one write per step instead of two, and the store
 * still refuses a second run of a step (DESIGN §2, npm run bench). Lines without one are not in the
 * index. The executions table keeps what earlier versions wrote; nothing writes it any more.
 */
export const schemaV13: SchemaVersion = {
  version: 13,
  stores: {
    history: 'id, [leadId+at], [kind+at], &execution.key',
  },
};

/**
 * v14 (team server, docs/design.md §9): each enrollment names the computer that runs its steps
 * (`runner`: "here" or another computer's id) and the scheduler reads due work of this computer only,
 * through [runner+state+nextDueAt] (replacing [state+nextDueAt]: a manager's computer holds the
 * team's enrollments, most of them run elsewhere, and they must never fill its due reads). Full
 * enrollments string. `syncJournal` notes every write of a replicated table, in its transaction, for
 * the team server; `devices` lists the team's computers; `syncConflicts` keeps each conflict that
 * was resolved, with what lost.
 */
export const schemaV14: SchemaVersion = {
  version: 14,
  stores: {
    enrollments: 'id, [leadId+planId], [runner+state+nextDueAt], [planId+state], [planId+engagedAt]',
    syncJournal: '++seq',
    devices: 'id, userId',
    syncConflicts: 'id, at',
  },
};

/** Every version in order (AppDb declares the same list, with its upgrade functions). */
export const SCHEMA_HISTORY: readonly SchemaVersion[] = [
  schemaV1,
  schemaV2,
  schemaV3,
  schemaV5,
  schemaV6,
  schemaV8,
  schemaV10,
  schemaV11,
  schemaV12,
  schemaV13,
  schemaV14,
];

/** The tables a store of `version` has (each version declares only the tables it adds or changes). */
export function tablesAt(version: number): string[] {
  const tables = new Set<string>();
  for (const v of SCHEMA_HISTORY.filter((s) => s.version <= version))
    for (const [name, indexes] of Object.entries(v.stores)) {
      if (indexes === null) tables.delete(name);
      else tables.add(name);
    }
  return [...tables];
}

import type { Actor, Enrollment } from '@shared/model/enrollment';
import { HERE } from '@shared/model/enrollment';
import type { LeadId, PlanId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { Task } from '@shared/model/task';
import { describeMessage } from '@shared/model/outbox';
import type { EngineDeps } from '../deps';
import { tryEnroll } from '../enrollments/lifecycle';
import { realignEnrollments } from '../enrollments/realign';
import { releaseWaiting } from '../enrollments/waiting';
import { record } from '../history/history';
import { touchWrittenLeads } from '../leads/touch';
import type { AppDb, LeadRow } from '../store/db';
import { enrollmentsOfLead } from '../store/queries';
import type { AppliedChange, InboundReport } from './inbound';
import type { Merge } from './merge';
import type { PouchDatabase } from './pouch';
import type { SyncIdentity } from './tables';
import { docIdOf } from '@shared/sync/docs';
import { JOURNAL_TABLE, REPLICATED_TABLES } from '../store/sync-journal';
import { accessOf, isManager } from './tables';

/** What the session offers the effects: somewhere to report, and the leads to let go after the next push. */
export interface EffectsHost {
  addProblem(docId: string, reason: string): void;
  loseLead(leadId: LeadId): void;
}

/**
 * What this computer does about what arrived (docs/design.md §9), after it is in the store:
 * - a lead this user is no longer on: the enrollments it runs go to the lead's new person's computer
 *   (account plans) or stop (this user's personal plans), then its copy goes;
 * - an edited plan: the enrollments this computer runs are realigned (deleted steps recorded);
 * - a task closed on another computer: its held message is sent or cancelled here, where it waits,
 *   and an enrollment waiting for it goes on;
 * - a lead routed to this user on a manager's computer: enrolled here in the user's personal plan;
 * - a merge that lost a value: a line in the lead's history, a copy of a plan that lost, the log.
 * Returns whether it wrote anything (then the session hands it to the team in the same round).
 */
export async function afterApplied(deps: EngineDeps, me: SyncIdentity, report: InboundReport, host: EffectsHost): Promise<boolean> {
  let wrote = false;
  for (const m of report.merges) wrote = (await recordMerge(deps, me, m.docId, m.merge)) || wrote;
  if (report.applied.length === 0) return wrote;
  const { db } = deps;
  await db.transaction('rw', db.tables, async () => {
    for (const change of report.applied) {
      switch (change.kind) {
        case 'lead':
          if (await leadEffects(deps, me, change, host)) wrote = true;
          break;
        case 'plan':
          if (await planEffects(deps, change)) wrote = true;
          break;
        case 'task':
          if (await taskEffects(deps, change)) wrote = true;
          break;
        case 'enrollment':
          if (await enrollmentEffects(deps, me, change)) wrote = true;
          break;
        default:
          break;
      }
    }
    if (wrote) await touchWrittenLeads(deps);
  });
  if (report.applied.some((c) => c.kind === 'enrollment' || c.kind === 'plan' || c.kind === 'task')) deps.wake();
  return wrote;
}

async function leadEffects(deps: EngineDeps, me: SyncIdentity, change: AppliedChange, host: EffectsHost): Promise<boolean> {
  const after = change.after as LeadRow | undefined;
  if (!after) return false;
  const mine = accessOf(after).includes(me.userId);
  if (!isManager(me.role) && !mine) {
    await handOver(deps, me, after);
    host.loseLead(after.id);
    return true;
  }
  const routed = after.pendingRouting;
  if (routed && routed.userId === me.userId && (await isHomeComputer(deps.db, me))) return enrollRouted(deps, after);
  return false;
}

/**
 * The lead left this user: the enrollments this computer runs for it are handed to the computer of
 * the lead's first person (buyer agent, listing agent, lender) or, when they have none yet, of the
 * primary manager; this user's personal plans stop (the reason is on the enrollment). Written before
 * the copy goes, so the next runner starts from everything that ran here. The new runner writes the
 * line in the lead's history (this user may no longer add to the lead).
 */
async function handOver(deps: EngineDeps, me: SyncIdentity, lead: LeadRow): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const people = [lead.assignees.buyerAgent, lead.assignees.listingAgent, lead.assignees.lender].filter((u): u is UserId => !!u);
  const primary = (await db.users.toArray()).find((u) => u.role === 'primaryManager')?.id;
  let target: { device: string; userId: UserId } | null = null;
  for (const userId of [...people, ...(primary ? [primary] : [])]) {
    const device = await homeDeviceOf(db, userId);
    if (device) {
      target = { device, userId };
      break;
    }
  }
  const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u.name]));
  for (const e of await enrollmentsOfLead(db, lead.id).toArray()) {
    if ((e.runner ?? HERE) !== HERE || (e.state !== 'active' && e.state !== 'paused')) continue;
    const plan = await db.plans.get(e.planId);
    const personal = plan?.scope.kind === 'personal';
    if (personal || !target) {
      await db.enrollments.put({
        ...e,
        state: 'stopped',
        nextDueAt: null,
        exitReason: `stopped: the lead was reassigned from ${users.get(me.userId) ?? 'this user'}`,
        updatedAt: now,
      });
    } else {
      await db.enrollments.put({ ...e, runner: target.device, updatedAt: now });
    }
  }
}

/** The computer that runs a user's new automated work: the one they marked, else their first. */
export async function homeDeviceOf(db: AppDb, userId: UserId): Promise<string | null> {
  const devices = await db.devices.where('userId').equals(userId).toArray();
  if (devices.length === 0) return null;
  return devices.sort((a, b) => a.firstSeenAt - b.firstSeenAt || (a.id < b.id ? -1 : 1))[0]!.id;
}

async function isHomeComputer(db: AppDb, me: SyncIdentity): Promise<boolean> {
  const home = await homeDeviceOf(db, me.userId);
  return home === null || home === me.deviceId;
}

/** A lead routed to this user on another computer: their personal plan runs here, where it is. */
async function enrollRouted(deps: EngineDeps, lead: LeadRow): Promise<boolean> {
  const routed = lead.pendingRouting!;
  const { db } = deps;
  await db.leads.update(lead.id, { pendingRouting: null });
  const plan = routed.planId ? await db.plans.get(routed.planId) : undefined;
  const actor: Actor = { kind: 'routing', ruleId: routed.ruleId };
  const now = deps.clock.now();
  if (!plan) {
    await record(db, deps.newId(), {
      leadId: lead.id,
      at: now,
      kind: 'note',
      summary: `Not enrolled by lead routing: the personal plan chosen in the Lead Routing Settings is not on this computer`,
      actor,
    });
    return true;
  }
  const attempt = await tryEnroll(deps, lead.id, plan.id, actor);
  await record(db, deps.newId(), {
    leadId: lead.id,
    at: now,
    kind: 'note',
    summary: attempt.ok
      ? `${leadDisplayName(lead)} enrolled in "${plan.name}" by the Lead Routing Settings (rule "${routed.ruleName}")`
      : `Not enrolled in "${plan.name}" by lead routing: ${attempt.reason}`,
    actor,
    planId: plan.id,
  });
  deps.wake();
  return true;
}

async function planEffects(deps: EngineDeps, change: AppliedChange): Promise<boolean> {
  const before = change.before as Plan | undefined;
  const after = change.after as Plan | undefined;
  if (!before || !after) return false;
  if (JSON.stringify(before.steps) === JSON.stringify(after.steps) && before.status === after.status) return false;
  const editor = after.updatedBy ? await deps.db.users.get(after.updatedBy) : undefined;
  const actor: Actor = editor
    ? { kind: 'user', userId: editor.id, name: editor.name }
    : { kind: 'system', reason: 'plan edited on another computer' };
  await realignEnrollments(deps, before, after, actor);
  return true;
}

/** An enrollment handed to this computer (its lead was reassigned): it runs here now, and the lead's history says so. */
async function enrollmentEffects(deps: EngineDeps, me: SyncIdentity, change: AppliedChange): Promise<boolean> {
  const before = change.before as Enrollment | undefined;
  const after = change.after as Enrollment | undefined;
  if (!before || !after || (before.runner ?? HERE) === HERE || after.runner !== HERE) return false;
  const [plan, user] = await Promise.all([deps.db.plans.get(after.planId), deps.db.users.get(me.userId)]);
  await record(deps.db, deps.newId(), {
    leadId: after.leadId,
    at: deps.clock.now(),
    kind: 'stateChanged',
    summary: `"${plan?.name ?? 'A plan'}" now runs on ${user?.name ?? 'the new person'}’s computer (the lead was reassigned)`,
    actor: { kind: 'system', reason: 'lead reassigned' },
    planId: after.planId,
    enrollmentId: after.id,
  });
  return true;
}

/** A review task closed on another computer: the message waits here, where the step ran. */
async function taskEffects(deps: EngineDeps, change: AppliedChange): Promise<boolean> {
  const before = change.before as Task | undefined;
  const after = change.after as Task | undefined;
  if (!after || after.status === 'open' || before?.status !== 'open') return false;
  const { db } = deps;
  let wrote = false;
  const message = after.outboxId ? await db.outbox.get(after.outboxId) : undefined;
  if (message && (message.status === 'held' || message.status === 'queued')) {
    const now = deps.clock.now();
    if (after.resolution === 'sendNow') {
      await db.outbox.put({ ...message, status: 'queued', nextAttemptAt: now, priority: 'high' });
    } else if (message.attempts === 0) {
      await db.outbox.put({ ...message, status: 'cancelled', nextAttemptAt: null });
      await record(db, deps.newId(), {
        leadId: after.leadId,
        at: now,
        kind: 'skipped',
        summary: `${describeMessage(message)} not sent: its review task was closed on another computer`,
        actor: { kind: 'system', reason: 'review task closed' },
        outboxId: message.id,
        planId: message.planId,
        enrollmentId: message.enrollmentId,
        stepId: message.stepId,
      });
    }
    wrote = true;
  }
  const waiting = after.enrollmentId ? await db.enrollments.get(after.enrollmentId) : undefined;
  if (waiting && (waiting.runner ?? HERE) === HERE && waiting.waitingForTaskId === after.id) {
    await releaseWaiting(deps, after);
    wrote = true;
  }
  return wrote;
}

/**
 * A conflict resolved by sync/merge.ts: what lost is never silent. A lead's lost values go in its
 * history (a line with an id made from the revisions, so two computers write the same line once);
 * a plan that lost is kept as a draft copy; every merge goes in this computer's conflicts log.
 */
async function recordMerge(deps: EngineDeps, me: SyncIdentity, docId: string, merge: Merge): Promise<boolean> {
  const { db } = deps;
  const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u.name]));
  const who = (id: string) => users.get(id) ?? 'another person';
  const at = merge.doc.m.at;
  const key = `${docId}:${merge.losers
    .map((l) => l._rev)
    .sort()
    .join(',')}`;
  const summary = describeMerge(merge, who);
  await db.syncConflicts.put({ id: key, at, kind: merge.doc.kind, docId, summary });
  let wrote = false;
  const leadId =
    merge.doc.kind === 'lead' ? String(merge.doc.row.id) : merge.doc.kind === 'enrollment' ? String(merge.doc.row.leadId) : null;
  if (leadId && merge.lost.length > 0 && (await db.leads.get(leadId as LeadId))) {
    await db.history.put({
      id: `conflict-${await digest(key)}`,
      leadId: leadId as LeadId,
      at,
      kind: 'note',
      summary,
      actor: { kind: 'system', reason: 'edits on two computers' },
      planId: merge.doc.kind === 'enrollment' ? (merge.doc.row.planId as PlanId) : null,
      enrollmentId: merge.doc.kind === 'enrollment' ? (merge.doc.row.id as Enrollment['id']) : null,
      stepId: null,
      outboxId: null,
      detail: null,
    });
    wrote = true;
  }
  if (merge.keptAside && merge.doc.kind === 'plan') {
    const lost = merge.keptAside.row as unknown as Plan;
    const mayKeep = lost.scope.kind === 'account' ? isManager(me.role) : lost.scope.ownerUserId === me.userId;
    if (mayKeep) {
      const copyId = `${lost.id}-c${(await digest(key)).slice(0, 10)}` as PlanId;
      if (!(await db.plans.get(copyId))) {
        const when = new Date(merge.keptAside.m.at).toISOString().slice(0, 16).replace('T', ' ');
        await db.plans.put({
          ...lost,
          id: copyId,
          name: `${lost.name} (conflicting edit by ${who(merge.keptAside.m.user)}, ${when} UTC)`,
          status: 'draft',
          locked: false,
          updatedAt: at,
        });
        wrote = true;
      }
    }
  }
  return wrote;
}

function describeMerge(merge: Merge, who: (id: string) => string): string {
  const name =
    merge.doc.kind === 'lead'
      ? leadDisplayName(merge.doc.row as unknown as Lead)
      : typeof merge.doc.row.name === 'string'
        ? merge.doc.row.name
        : merge.doc._id;
  if (merge.lost.length === 0) return `Edits of ${merge.doc.kind} "${name}" made on two computers were combined; nothing was lost.`;
  if (merge.doc.kind === 'lead') {
    const parts = merge.lost.map((l) => `${l.field} "${shown(l.lost)}" (${who(l.lostBy)}) lost to "${shown(l.kept)}"`);
    return `Edits made on two computers at once: ${parts.join('; ')}. The later change of each field was kept.`;
  }
  if (merge.doc.kind === 'enrollment') {
    const parts = merge.lost.map(
      (l) => `${who(l.lostBy)}’s change to "${shown(l.lost)}" lost to "${shown(l.kept)}" (steps had already run)`,
    );
    return `Plan state changed on two computers at once: ${parts.join('; ')}.`;
  }
  const loser = merge.losers[0];
  return `${merge.doc.kind} "${name}" was changed on two computers at once; the later save was kept${
    loser ? ` and ${who(loser.m.user)}’s version ${merge.keptAside ? 'is kept as a draft copy' : 'was replaced'}` : ''
  }.`;
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null)).slice(0, 80);

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Lets a lead go from this computer once its hand-over has reached the server: the lead, its
 * enrollments, history and tasks leave the store (not as changes for the team: the team keeps them),
 * and the mirror keeps only deletion marks of them, which the server never passes on.
 */
export async function letGo(deps: EngineDeps, mirror: PouchDatabase, leadIds: readonly LeadId[]): Promise<void> {
  const { db } = deps;
  for (const leadId of leadIds) {
    const [enrollments, history, tasks] = await Promise.all([
      enrollmentsOfLead(db, leadId).primaryKeys(),
      db.history.where('[leadId+at]').between([leadId, -Infinity], [leadId, Infinity]).primaryKeys(),
      db.tasks.where('leadId').equals(leadId).primaryKeys(),
    ]);
    const ids = [
      docIdOf('lead', leadId),
      ...enrollments.map((k) => docIdOf('enrollment', String(k))),
      ...history.map((k) => docIdOf('history', String(k))),
      ...tasks.map((k) => docIdOf('task', String(k))),
    ];
    const tables = [...REPLICATED_TABLES.map((t) => db.table(t)), db.table(JOURNAL_TABLE)];
    await db.transaction('rw', tables, async () => {
      db.syncJournalNotes.markInbound();
      await Promise.all([
        db.leads.delete(leadId),
        db.enrollments.bulkDelete(enrollments),
        db.history.bulkDelete(history),
        db.tasks.bulkDelete(tasks),
      ]);
    });
    const current = await mirror.allDocs({ keys: ids });
    const marks = current.rows
      .filter((r) => !r.error && r.value && !r.value.deleted)
      .map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true }));
    if (marks.length) await mirror.bulkDocs(marks);
  }
}

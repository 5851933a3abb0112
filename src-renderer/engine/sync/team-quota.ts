import { DateTime } from 'luxon';
import type { Enrollment } from '@shared/model/enrollment';
import { HERE } from '@shared/model/enrollment';
import { DAILY_MANUAL_ASSIGNMENTS } from '@shared/model/team';
import { docIdOf, SYNC_DOC_VERSION } from '@shared/sync/docs';
import type { EngineDeps } from '../deps';
import { record } from '../history/history';
import { touchWrittenLeads } from '../leads/touch';
import type { QuotaClaim } from '../team/quota';
import { CLAIM_KEY_PREFIX, heldRunner, quotaClaims } from '../team/quota';
import type { ServerAccount } from './couch';
import { couchJson, couchReason, ServerError } from './couch';
import type { SyncIdentity } from './tables';

/** The team's counter of one account day on the server (`capDay:<day>` in the team database). */
interface CapDayRow {
  day: string;
  count: number;
  /** Each claim counted, by its id: a claim sent twice (its answer lost) is counted once. */
  claims: Record<string, { count: number; user: string; device: string; at: number }>;
}

interface CapDayDoc {
  _id: string;
  _rev?: string;
  row: CapDayRow;
}

/** Tries of one claim against other computers taking the same counter at the same moment. */
const MAX_RACES = 8;

type Outcome = { granted: true; count: number } | { granted: false; count: number; reason: string };

/**
 * Takes each of this computer's pending manual assignments from the team's daily counter on the
 * server, with CouchDB's revision check (compare-and-set: a write over a stale revision is refused
 * with 409 and tried again on the new count). The server's validation refuses a count over the cap
 * too, so a client that skips this check cannot over-enroll either. Granted: the held enrollments
 * run here from now on (their timing starts at the grant, as after a pause). Refused: they stop, with
 * the reason on each lead's history (a "failed" line: Today lists it) and in the sync status.
 * Returns the refusals in words.
 */
export async function settleQuotaClaims(deps: EngineDeps, me: SyncIdentity, account: ServerAccount): Promise<string[]> {
  const claims = await quotaClaims(deps);
  // Settled claims are kept two days (what a claim's enrollments became is on their leads).
  const old = claims.filter((c) => c.state !== 'pending' && c.at < deps.clock.now() - 2 * 86_400_000);
  if (old.length > 0) await deps.db.settings.bulkDelete(old.map((c) => CLAIM_KEY_PREFIX + c.id));
  const pending = claims.filter((c) => c.state === 'pending');
  const refusals: string[] = [];
  for (const claim of pending) {
    const outcome = await claimOnServer(deps, me, account, claim);
    await applyOutcome(deps, claim, outcome);
    if (!outcome.granted) refusals.push(outcome.reason);
  }
  return refusals;
}

async function claimOnServer(deps: EngineDeps, me: SyncIdentity, account: ServerAccount, claim: QuotaClaim): Promise<Outcome> {
  const path = `${me.dbs.team}/${encodeURIComponent(docIdOf('capDay', claim.day))}`;
  for (let race = 0; race < MAX_RACES; race++) {
    const got = await couchJson<CapDayDoc>(deps.host, account, 'GET', path);
    if (got.status !== 200 && got.status !== 404) throw unexpected(account, 'read', got);
    const doc = got.status === 200 ? got.json : null;
    const row: CapDayRow = { day: claim.day, count: doc?.row.count ?? 0, claims: doc?.row.claims ?? {} };
    if (row.claims[claim.id]) return { granted: true, count: row.count };
    if (row.count + claim.count > DAILY_MANUAL_ASSIGNMENTS)
      return { granted: false, count: row.count, reason: refusedWords(claim, row.count) };
    const next = {
      _id: docIdOf('capDay', claim.day),
      ...(doc?._rev ? { _rev: doc._rev } : {}),
      kind: 'capDay',
      v: SYNC_DOC_VERSION,
      row: {
        ...row,
        count: row.count + claim.count,
        claims: { ...row.claims, [claim.id]: { count: claim.count, user: me.userId, device: me.deviceId, at: claim.at } },
      },
      m: { at: deps.clock.now(), device: me.deviceId, user: me.userId },
    };
    const put = await couchJson(deps.host, account, 'PUT', path, next);
    if (put.status === 201 || put.status === 202) return { granted: true, count: next.row.count };
    if (put.status === 409) continue; // another computer took the counter first: read it again
    if (put.status === 403)
      return { granted: false, count: row.count, reason: `${refusedWords(claim, row.count)} (${couchReason(put.json).reason})` };
    throw unexpected(account, 'take', put);
  }
  throw new ServerError(
    `The team's daily assignment counter kept changing under this computer (${MAX_RACES} tries): the assignment waits for the next sync.`,
    409,
    'conflict',
  );
}

function unexpected(account: ServerAccount, what: string, reply: { status: number; json: unknown }): ServerError {
  return new ServerError(
    `The team server at ${account.url} could not ${what} the daily assignment counter: ${reply.status} ${couchReason(reply.json).reason}.`,
    reply.status,
    couchReason(reply.json).error,
  );
}

function refusedWords(claim: QuotaClaim, usedOnServer: number): string {
  const day = DateTime.fromISO(claim.day).toFormat('d LLL yyyy');
  const left = Math.max(0, DAILY_MANUAL_ASSIGNMENTS - usedOnServer);
  return (
    `Not assigned: the team's ${DAILY_MANUAL_ASSIGNMENTS} manual assignments to fully automated plans for ${day} were used on other computers while this one was offline ` +
    `(${claim.count} needed, ${left === 0 ? 'none' : left} left). Assign again tomorrow, or use a plan that is not fully automated.`
  );
}

async function applyOutcome(deps: EngineDeps, claim: QuotaClaim, outcome: Outcome): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  await db.transaction('rw', [db.settings, db.enrollments, db.leads, db.history, db.assignmentDays, db.plans], async () => {
    const rows = (await db.enrollments.bulkGet(claim.enrollmentIds as Enrollment['id'][])).filter(
      (e): e is Enrollment => !!e && e.runner === heldRunner(claim.id),
    );
    const waited = Math.max(0, now - claim.at);
    for (const e of rows) {
      if (outcome.granted) {
        // Held like a pause: the plan's timing starts when the team's count confirmed it.
        await db.enrollments.put({
          ...e,
          runner: HERE,
          startedAt: e.startedAt + waited,
          nextDueAt: e.nextDueAt === null ? null : e.nextDueAt + waited,
          updatedAt: now,
        });
        continue;
      }
      await db.enrollments.put({ ...e, runner: HERE, state: 'stopped', nextDueAt: null, exitReason: outcome.reason, updatedAt: now });
      const plan = await db.plans.get(e.planId);
      await record(db, deps.newId(), {
        leadId: e.leadId,
        at: now,
        actor: { kind: 'system', reason: 'team daily assignment cap' },
        planId: e.planId,
        enrollmentId: e.id,
        stepId: null,
        kind: 'failed',
        summary: `${plan ? `"${plan.name}": ` : ''}${outcome.reason}`,
      });
    }
    if (rows.length > 0) await touchWrittenLeads(deps);
    const known = (await db.assignmentDays.get(claim.day))?.count ?? 0;
    await db.assignmentDays.put({ day: claim.day, count: Math.max(known, outcome.count) });
    const settled: QuotaClaim = {
      ...claim,
      state: outcome.granted ? 'granted' : 'refused',
      ...(outcome.granted ? {} : { reason: outcome.reason }),
    };
    await db.settings.put({ key: CLAIM_KEY_PREFIX + claim.id, value: settled });
  });
}

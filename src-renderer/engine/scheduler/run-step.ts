import { DateTime } from 'luxon';
import type { Enrollment, Execution } from '@shared/model/enrollment';
import { executionKey, stepDueAt } from '@shared/model/enrollment';
import type { EnrollmentId, EpochMs, StepId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { completeEnrollment } from '../enrollments/lifecycle';
import { mapPosition, positionAfter, positionFor, rawDueAt, stepAfter } from '../enrollments/position';
import { record } from '../history/history';
import { toLead } from '../leads/app';
import { getSetting } from '../settings/store';
import { touchLead } from '../leads/touch';
import type { LeadRow } from '../store/db';
import { depsIn } from '../store/bound-db';
import { cachedRow, MISS } from '../store/tx-read-cache';
import { STEP_EXECUTORS } from '../steps';
import { queueNotifyMe } from '../steps/notify-me';
import type { StepEffects, StepExecutor, StepOutcome, StepRun } from '../steps/types';
import { deliveryFor, isMissed, touchChannel } from './delivery';
import { nextSendSlot } from './send-window';

export type StepRunResult = 'ran' | 'notDue';

const HOUR = 3_600_000;

/** Every table a step may touch: its transaction must name them all up front. */
export function stepTables(deps: EngineDeps) {
  const { db } = deps;
  return [db.enrollments, db.plans, db.leads, db.executions, db.outbox, db.history, db.users, db.account, db.tasks, db.settings];
}

/**
 * Runs the next step of one enrollment in ONE transaction (DESIGN §5): check it is still due, write the
 * execution under its unique key, apply internal effects, write outbox messages, advance the
 * enrollment. A crash anywhere rolls the whole step back, so it runs again later exactly once.
 */
export async function runNextStep(outer: EngineDeps, id: EnrollmentId, now: EpochMs): Promise<StepRunResult> {
  return await outer.db.transaction('rw', stepTables(outer), async (trans) => {
    const deps = depsIn(outer, trans);
    const e = await deps.db.enrollments.get(id);
    if (!e) return 'notDue';
    const result = await runStepOf(deps, e, now);
    // The leads table's summary (active plans, next step due, last activity) changes with the step, atomically.
    if (result === 'ran') await touchLead(deps, e.leadId, [e]);
    return result;
  });
}

/** The body of runNextStep, inside a transaction over stepTables() that the caller opened. */
export async function runNextStepIn(deps: EngineDeps, id: EnrollmentId, now: EpochMs): Promise<StepRunResult> {
  const e = await deps.db.enrollments.get(id);
  return e ? runStepOf(deps, e, now) : 'notDue';
}

/**
 * Runs the next step of `e`, which the caller read in this same transaction (so it is current), inside
 * a transaction over stepTables() that the caller opened.
 */
export async function runStepOf(deps: EngineDeps, e: Enrollment, now: EpochMs): Promise<StepRunResult> {
  const { db } = deps;
  {
    if (e.state !== 'active' || e.nextDueAt === null || e.nextDueAt > now || e.nextStepId === null) return 'notDue';
    // Taken from this transaction's cache when there (the steps before in a pass read them); else
    // independent reads go out together: each IndexedDB round trip is what a step costs (npm run bench).
    const cachedPlan = cachedRow<Plan>(db.plans, e.planId);
    const cachedLead = cachedRow<LeadRow>(db.leads, e.leadId);
    const recorded = e.ran?.iteration === e.iteration ? e.ran.stepIds : null;
    const [plan, leadRow, stepsRun] =
      cachedPlan !== MISS && cachedLead !== MISS && recorded !== null
        ? [cachedPlan, cachedLead, recorded]
        : await Promise.all([
            cachedPlan !== MISS ? cachedPlan : db.plans.get(e.planId),
            cachedLead !== MISS ? cachedLead : db.leads.get(e.leadId),
            recorded ?? stepsWithExecutions(deps, e),
          ]);
    if (!plan || !leadRow) {
      const exitReason = plan ? 'lead deleted' : 'plan deleted';
      await db.enrollments.put({ ...e, state: 'stopped', nextDueAt: null, exitReason, updatedAt: now });
      if (leadRow)
        await record(db, deps.newId(), {
          leadId: e.leadId,
          at: now,
          kind: 'stateChanged',
          summary: `Stopped: the plan was deleted`,
          actor: { kind: 'scheduler' },
          enrollmentId: e.id,
        });
      return 'ran';
    }
    const lead = toLead(leadRow);
    if (plan.status !== 'ready') {
      // Draft plans never run: hold the enrollment until the plan is Ready again (realign resumes it).
      await db.enrollments.put({ ...e, nextDueAt: null, updatedAt: now });
      return 'ran';
    }
    const step = plan.steps.find((s) => s.id === e.nextStepId);
    if (!step) {
      await continueAfterDeletedStep(deps, e, plan, lead, now);
      return 'ran';
    }
    const key = executionKey(e, step.id);
    if (stepsRun.includes(step.id)) {
      await advance(deps, e, plan, lead, step, now, { taskId: null, repeat: false }, stepsRun);
      return 'ran';
    }
    const effects: StepEffects = { taskId: null, repeat: false };
    const decided = decide(deps, e, plan, lead, step, now);
    // (not `instanceof Promise`: inside a transaction Dexie may have swapped the global Promise)
    const outcome = 'kind' in decided ? decided : await decided;
    if (outcome.kind === 'reschedule') {
      await db.enrollments.put({ ...e, nextDueAt: outcome.at, updatedAt: now });
      if (outcome.reasons.length > 0) {
        const local = DateTime.fromMillis(outcome.at, { zone: lead.timeZone }).toFormat('ccc d LLL HH:mm');
        await record(db, deps.newId(), {
          ...historyBase(e, plan, lead, step, now),
          kind: 'deferred',
          summary: `"${labelOf(plan, step)}" of "${plan.name}" waits until ${local} lead time: ${outcome.reasons.join('; ')}`,
        });
      }
      return 'ran';
    }
    const execution = await perform(deps, {
      e,
      plan,
      lead,
      step,
      now,
      key,
      effects,
      missed: outcome.missed,
      skipReason: outcome.skipReason,
    });
    await advance(deps, e, plan, lead, step, now, effects, stepsRun);
    if (step.notifyMe) await queueNotifyMe(deps, plan, step, lead, execution);
    return 'ran';
  }
}

/**
 * The steps of `e`'s iteration that have an execution, for an enrollment without a run record for its
 * iteration: from the execution lines of its history (one key-range read of the unique index) and from
 * the executions table, where versions before store v13 kept them.
 */
async function stepsWithExecutions(deps: EngineDeps, e: Enrollment): Promise<StepId[]> {
  const prefix = executionKey(e, '' as StepId);
  const [lines, legacy] = await Promise.all([
    deps.db.history.where('execution.key').between(prefix, `${prefix}\uffff`).toArray(),
    deps.db.executions.where('key').between(prefix, `${prefix}\uffff`).primaryKeys(),
  ]);
  return [
    ...new Set([
      ...lines.flatMap((l) => (l.execution ? [l.execution.stepId] : [])),
      ...legacy.map((k) => k.slice(prefix.length) as StepId),
    ]),
  ];
}

type Decision = { kind: 'reschedule'; at: EpochMs; reasons: string[] } | { kind: 'run'; missed: boolean; skipReason: string | null };

/**
 * Whether the step runs now, is skipped (with why), or waits. Answers at once unless it must read
 * (send windows and caps of a message): every await in a pass costs (npm run bench).
 */
function decide(deps: EngineDeps, e: Enrollment, plan: Plan, lead: Lead, step: Step, now: EpochMs): Decision | Promise<Decision> {
  const run = (skipReason: string | null, missed = false): Decision => ({ kind: 'run', missed, skipReason });
  const t = step.timing;
  if (t.kind === 'beforeEvent' || t.kind === 'afterEvent') {
    const raw = rawDueAt(step, e, lead);
    if (raw === null) return run(`the lead has no "${t.event}" date`);
    const entered = e.enteredAt ?? e.startedAt;
    if (t.kind === 'beforeEvent' && raw < entered) {
      const local = DateTime.fromMillis(raw, { zone: lead.timeZone }).toFormat('d LLL yyyy HH:mm');
      return run(`its time (${local}, before "${t.event}") had already passed when the lead was enrolled`);
    }
    // The event date moved later since the position was computed: wait for the new date.
    if (raw > now) return { kind: 'reschedule', at: raw, reasons: [] };
  }
  const lateBy = now - stepDueAt(e, now);
  const missed = isMissed(plan, step, lateBy);
  if (missed && plan.misfire.policy === 'skip') {
    return run(`it was due ${Math.round(lateBy / HOUR)} h ago while the app was not running, and this plan skips missed steps`, true);
  }
  const channel = touchChannel(step);
  if (channel && lead.optOuts[channel]) return run(`the lead opted out of ${channel === 'sms' ? 'texts' : 'email'}`, missed);
  if (channel && deliveryFor(plan, step, missed).mode === 'auto') return inSendSlot(deps, plan, lead, channel, now, run(null, missed));
  return run(null, missed);
}

/** `ready` when a message may go now (send windows, quiet hours, the lead's daily cap), else when it waits. */
async function inSendSlot(
  deps: EngineDeps,
  plan: Plan,
  lead: Lead,
  channel: 'email' | 'sms',
  now: EpochMs,
  ready: Decision,
): Promise<Decision> {
  const policy = await getSetting(deps.db, 'sendPolicy');
  const touches = await touchesOf(deps, lead);
  const slot = nextSendSlot({
    at: now,
    zone: lead.timeZone,
    channel,
    planWindow: plan.sendWindow ?? null,
    policy,
    touchesBetween: (from, to) => touches.filter((at) => at >= from && at < to).length,
  });
  return slot.at > now ? { kind: 'reschedule', at: slot.at, reasons: slot.reasons } : ready;
}

/** When the lead got automated emails and texts (all plans): the daily cap counts these. */
async function touchesOf(deps: EngineDeps, lead: Lead): Promise<EpochMs[]> {
  const rows = await deps.db.outbox.where('leadId').equals(lead.id).toArray();
  return rows
    .filter((m) => (m.channel === 'email' || m.channel === 'sms') && m.planId !== null && m.status !== 'held' && m.status !== 'cancelled')
    .map((m) => m.createdAt);
}

const labelOf = (plan: Plan, step: Step): string => step.name || `Step ${plan.steps.indexOf(step) + 1}`;

function historyBase(e: Enrollment, plan: Plan, lead: Lead, step: Step, now: EpochMs) {
  return {
    leadId: lead.id,
    at: now,
    planId: plan.id,
    enrollmentId: e.id,
    stepId: step.id,
    actor: { kind: 'step' as const, planId: plan.id, stepId: step.id },
  };
}

interface StepContext {
  e: Enrollment;
  plan: Plan;
  lead: Lead;
  step: Step;
  now: EpochMs;
  key: string;
  effects: StepEffects;
  missed: boolean;
  skipReason: string | null;
}

/**
 * Runs the step's executor and writes its outcome line with the execution on it: one request, and the
 * store refuses a second line with the same execution key (the unique index of schema v13).
 */
async function perform(deps: EngineDeps, c: StepContext): Promise<Execution> {
  const { e, plan, lead, step, now, key } = c;
  const dueAt = stepDueAt(e, now);
  const base = { key, enrollmentId: e.id, leadId: lead.id, planId: plan.id, stepId: step.id, iteration: e.iteration, dueAt, at: now };
  const label = labelOf(plan, step);
  const history = historyBase(e, plan, lead, step, now);
  const outcome = (o: Omit<StepOutcome, 'lineId'>): StepOutcome => ({ ...o, lineId: deps.newId() });
  const run: StepRun = {
    deps,
    enrollment: e,
    plan,
    lead,
    step,
    now,
    key,
    label,
    delivery: deliveryFor(plan, step, c.missed),
    effects: c.effects,
    skip: (reason) => outcome({ outcome: 'skipped', reason, kind: 'skipped', summary: `Skipped "${label}" of "${plan.name}": ${reason}` }),
    fail: (reason) => outcome({ outcome: 'failed', reason, kind: 'failed', summary: `"${label}" of "${plan.name}" failed: ${reason}` }),
    done: (summary) => outcome({ outcome: 'done', reason: null, kind: 'stepRan', summary }),
    outcome,
  };
  const result = await outcomeOf(run, c, history);
  const execution: Execution = { ...base, outcome: result.outcome, reason: result.reason };
  await record(deps.db, result.lineId, {
    ...history,
    kind: result.kind,
    summary: result.summary,
    outboxId: result.outboxId ?? null,
    execution,
  });
  return execution;
}

async function outcomeOf(run: StepRun, c: StepContext, history: ReturnType<typeof historyBase>): Promise<StepOutcome> {
  const { deps, plan, step, now, label } = run;
  if (c.skipReason) return run.skip(c.skipReason);
  if (c.missed && plan.misfire.policy === 'sendLate') {
    await record(deps.db, deps.newId(), {
      ...history,
      kind: 'note',
      summary: `"${label}" runs late: it was due ${Math.round((now - stepDueAt(c.e, now)) / HOUR)} h ago while the app was not running (plan policy: send late)`,
    });
  }
  const executor = STEP_EXECUTORS[step.kind] as StepExecutor | undefined;
  // Plans with other kinds are refused at save (plans/validate.ts); a stored one is recorded, never silent.
  if (!executor) return run.skip(`"${step.kind}" steps cannot run in this version`);
  try {
    return await executor(run);
  } catch (err) {
    // A bad record fails this one step for this one enrollment; the scheduler goes on.
    if (err instanceof Error && /Dexie|Transaction|Constraint|Abort|InvalidState/i.test(err.name)) throw err;
    return run.fail(err instanceof Error ? err.message : String(err));
  }
}

async function advance(
  deps: EngineDeps,
  e: Enrollment,
  plan: Plan,
  lead: Lead,
  step: Step,
  now: EpochMs,
  effects: StepEffects,
  stepsRun: readonly StepId[],
): Promise<void> {
  // Steps never change their own enrollment (assignPlan to itself and pausing itself are refused), so `e` is current.
  const ran = { iteration: e.iteration, stepIds: stepsRun.includes(step.id) ? [...stepsRun] : [...stepsRun, step.id] };
  const fresh: Enrollment = { ...e, ran };
  if (e.failure) fresh.failure = null;
  if (effects.repeat) {
    const iteration = {
      startedAt: now,
      enteredAt: now,
      iteration: fresh.iteration + 1,
      ran: { iteration: fresh.iteration + 1, stepIds: [] },
      prevStepId: null,
      waitingForTaskId: null,
    };
    await deps.db.enrollments.put({ ...fresh, ...iteration, ...positionFor(plan.steps[0], { startedAt: now }, lead, now), updatedAt: now });
    return;
  }
  const next = stepAfter(plan, step.id);
  if (!next) return completeEnrollment(deps, fresh, plan, lead, now);
  const waitFor = next.waitForPreviousTask && effects.taskId ? effects.taskId : null;
  const position = positionAfter(next, fresh, lead, stepDueAt(e, now));
  await deps.db.enrollments.put({
    ...fresh,
    ...position,
    nextDueAt: waitFor ? null : position.nextDueAt,
    prevStepId: step.id,
    waitingForTaskId: waitFor,
    updatedAt: now,
  });
}

/** The next step was deleted from the plan: record it and go on after the step passed last. */
async function continueAfterDeletedStep(deps: EngineDeps, e: Enrollment, plan: Plan, lead: Lead, now: EpochMs): Promise<void> {
  const target = mapPosition(null, plan, e.nextStepId!, e.prevStepId ?? null);
  await record(deps.db, deps.newId(), {
    leadId: lead.id,
    at: now,
    kind: 'skipped',
    summary: `A step of "${plan.name}" was deleted from the plan before it ran; continuing with the next one`,
    actor: { kind: 'scheduler' },
    planId: plan.id,
    enrollmentId: e.id,
    stepId: e.nextStepId,
  });
  if (!target) return completeEnrollment(deps, e, plan, lead, now);
  await deps.db.enrollments.put({ ...e, ...positionAfter(target, e, lead, stepDueAt(e, now)), updatedAt: now });
}

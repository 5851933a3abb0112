import type { Enrollment, Execution } from '@shared/model/enrollment';
import { executionKey } from '@shared/model/enrollment';
import type { EnrollmentId, EpochMs, OutboxId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { OutboxMessage } from '@shared/model/outbox';
import type { Plan, Step } from '@shared/model/plan';
import type { Account, User } from '@shared/model/team';
import type { EngineDeps } from '../deps';
import { positionAt, stepAfter } from '../enrollments/position';
import { record } from '../history/history';
import { toLead } from '../leads/app';
import { mergeScope, renderText, textToHtml } from '../templates/render';

export type StepRunResult = 'ran' | 'notDue';

const HOUR = 3_600_000;

/**
 * Runs the next step of one enrollment in ONE transaction (DESIGN §5): check it is still due, write the
 * execution under its unique key, write outbox messages, advance the enrollment. A crash anywhere
 * rolls the whole step back, so it runs again later exactly once.
 */
export async function runNextStep(deps: EngineDeps, id: EnrollmentId, now: EpochMs): Promise<StepRunResult> {
  const { db } = deps;
  const tables = [db.enrollments, db.plans, db.leads, db.executions, db.outbox, db.history, db.users, db.account];
  return db.transaction('rw', tables, async () => {
    const e = await db.enrollments.get(id);
    if (!e || e.state !== 'active' || e.nextDueAt === null || e.nextDueAt > now || e.nextStepId === null) return 'notDue';
    const [plan, leadRow] = await Promise.all([db.plans.get(e.planId), db.leads.get(e.leadId)]);
    if (!plan || !leadRow) {
      await db.enrollments.update(e.id, { state: 'stopped', nextDueAt: null, exitReason: plan ? 'lead deleted' : 'plan deleted', updatedAt: now });
      return 'ran';
    }
    const lead = toLead(leadRow);
    if (plan.status !== 'ready') {
      // Draft plans never run: hold the enrollment until the plan is Ready again (realign resumes it).
      await db.enrollments.update(e.id, { nextDueAt: null, updatedAt: now });
      return 'ran';
    }
    const step = plan.steps.find((s) => s.id === e.nextStepId);
    if (!step) {
      await db.enrollments.update(e.id, { nextDueAt: null, updatedAt: now });
      return 'ran';
    }
    const key = executionKey(e, step.id);
    if (!(await db.executions.get(key))) {
      const execution = await perform(deps, { e, plan, lead, step, now, key });
      await db.executions.add(execution);
    }
    await advance(deps, e, plan, lead, step, now);
    return 'ran';
  });
}

interface StepContext {
  e: Enrollment;
  plan: Plan;
  lead: Lead;
  step: Step;
  now: EpochMs;
  key: string;
}

async function perform(deps: EngineDeps, c: StepContext): Promise<Execution> {
  const { e, plan, lead, step, now, key } = c;
  const dueAt = e.nextDueAt ?? now;
  const base = { key, enrollmentId: e.id, leadId: lead.id, planId: plan.id, stepId: step.id, iteration: e.iteration, dueAt, at: now };
  const stepLabel = step.name || `Step ${plan.steps.indexOf(step) + 1}`;
  const history = { leadId: lead.id, at: now, planId: plan.id, enrollmentId: e.id, stepId: step.id, actor: { kind: 'step' as const, planId: plan.id, stepId: step.id } };

  const skip = async (reason: string): Promise<Execution> => {
    await record(deps.db, deps.newId(), { ...history, kind: 'skipped', summary: `Skipped "${stepLabel}" of "${plan.name}": ${reason}` });
    return { ...base, outcome: 'skipped', reason };
  };

  // Missed runs (machine off or asleep): the plan's policy decides about messages overdue beyond the grace.
  const lateBy = now - dueAt;
  if (lateBy > plan.misfire.graceHours * HOUR && plan.misfire.policy === 'skip') {
    return skip(`it was due ${Math.round(lateBy / HOUR)} h ago while the app was not running, and this plan skips missed messages`);
  }

  switch (step.kind) {
    case 'email': {
      if (lead.optOuts.email) return skip('the lead opted out of email');
      if (!lead.email) return skip('the lead has no email address');
      const scope = mergeScope(lead, await sender(deps, lead, plan), await account(deps));
      let subject: string;
      let text: string;
      try {
        subject = renderText(step.subject, scope).replace(/[\r\n]+/g, ' ').trim();
        text = renderText(step.body, scope);
      } catch (err) {
        const reason = `its message could not be merged (${err instanceof Error ? err.message : String(err)})`;
        await record(deps.db, deps.newId(), { ...history, kind: 'failed', summary: `"${stepLabel}" failed: ${reason}` });
        return { ...base, outcome: 'failed', reason };
      }
      const message: OutboxMessage = {
        id: deps.newId() as OutboxId,
        idempotencyKey: key,
        channel: 'email',
        leadId: lead.id,
        enrollmentId: e.id,
        planId: plan.id,
        stepId: step.id,
        email: { to: lead.email, toName: leadDisplayName(lead), subject, text, html: textToHtml(text) },
        status: 'queued',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        sentAt: null,
        providerMessageId: null,
        lastError: null,
      };
      await deps.db.outbox.add(message);
      await record(deps.db, deps.newId(), {
        ...history,
        outboxId: message.id,
        kind: 'queued',
        summary: `Email "${subject}" queued to ${lead.email}`,
      });
      return { ...base, outcome: 'queued', reason: null };
    }
    default:
      // Plans with other kinds are refused at save (plans/validate.ts); a stored one is recorded, never silent.
      return skip(`"${step.kind}" steps cannot run in this version`);
  }
}

async function advance(deps: EngineDeps, e: Enrollment, plan: Plan, lead: Lead, step: Step, now: EpochMs): Promise<void> {
  const next = stepAfter(plan, step.id);
  if (next) {
    await deps.db.enrollments.put({ ...e, ...positionAt(next, e, lead), updatedAt: now });
    return;
  }
  await deps.db.enrollments.put({ ...e, state: 'completed', nextStepId: null, nextDueAt: null, exitReason: 'completed', updatedAt: now });
  await record(deps.db, deps.newId(), {
    leadId: lead.id,
    at: now,
    kind: 'completed',
    summary: `Completed "${plan.name}"`,
    actor: { kind: 'scheduler' },
    planId: plan.id,
    enrollmentId: e.id,
  });
}

/** Who the message comes from in merge fields: the lead's agent, else the plan's author. */
async function sender(deps: EngineDeps, lead: Lead, plan: Plan): Promise<User> {
  const id: UserId = lead.assignees.buyerAgent ?? lead.assignees.listingAgent ?? plan.createdBy;
  const user = (await deps.db.users.get(id)) ?? (await deps.db.users.toCollection().first());
  if (!user) throw new Error('No user exists yet');
  return user;
}

async function account(deps: EngineDeps): Promise<Account> {
  const a = await deps.db.account.get('account');
  if (!a) throw new Error('No account exists yet');
  return a;
}

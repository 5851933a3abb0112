import type { FieldIssue } from '@shared/rpc/errors';
import { validationFailed } from '@shared/rpc/errors';
import type { PlanFields } from '@shared/model/plan';
import { RUNNABLE_KINDS } from '../steps';
import { channelStepIssues } from '../steps/channel-issues';
import { templateProblems } from '../templates/render';

/**
 * Rules a plan must satisfy beyond its schema. A draft may be incomplete; a Ready plan must be
 * complete enough to run (e.g. an email without a subject cannot be Ready).
 */
export interface KnownIds {
  plans: ReadonlySet<string>;
  users: ReadonlySet<string>;
}

export function planIssues(plan: PlanFields, known: KnownIds): FieldIssue[] {
  const knownPlanIds = known.plans;
  const issues: FieldIssue[] = [];
  const ready = plan.status === 'ready';
  if (ready && plan.steps.length === 0) issues.push({ path: 'steps', message: 'A Ready plan needs at least one step' });
  const ids = new Set<string>();
  plan.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    if (ids.has(step.id)) issues.push({ path: `${at}.id`, message: 'Two steps share one id' });
    ids.add(step.id);
    if (!RUNNABLE_KINDS.has(step.kind)) {
      issues.push({ path: `${at}.kind`, message: `Step ${i + 1}: "${step.kind}" steps cannot run in this version yet` });
    }
    if (step.kind === 'email') {
      if (ready && !step.subject.trim())
        issues.push({ path: `${at}.subject`, message: `Step ${i + 1}: an email needs a subject before the plan can be Ready` });
      if (ready && !step.body.trim())
        issues.push({ path: `${at}.body`, message: `Step ${i + 1}: an email needs a message before the plan can be Ready` });
      for (const m of templateProblems(step.subject)) issues.push({ path: `${at}.subject`, message: `Step ${i + 1} subject: ${m}` });
      for (const m of templateProblems(step.body)) issues.push({ path: `${at}.body`, message: `Step ${i + 1} message: ${m}` });
    }
    issues.push(...channelStepIssues(step, i, ready));
    if ((step.kind === 'assignPlan' || step.kind === 'pausePlan') && !knownPlanIds.has(step.planId)) {
      issues.push({ path: `${at}.planId`, message: `Step ${i + 1} refers to a plan that no longer exists` });
    }
    if (step.kind === 'assignUser' && !known.users.has(step.userId)) {
      issues.push({ path: `${at}.userId`, message: `Step ${i + 1} assigns a user who no longer exists` });
    }
    const texts: [string, string][] =
      step.kind === 'task'
        ? [
            ['title', step.title],
            ['notes', step.notes],
          ]
        : step.kind === 'automatedCall'
          ? [
              ['title', step.title],
              ['script', step.script],
            ]
          : step.kind === 'addNote'
            ? [['note', step.note]]
            : [];
    for (const [field, text] of texts)
      for (const m of templateProblems(text)) issues.push({ path: `${at}.${field}`, message: `Step ${i + 1} ${field}: ${m}` });
    if (step.waitForPreviousTask && i === 0) {
      issues.push({ path: `${at}.waitForPreviousTask`, message: 'Step 1 has no step before it to wait for' });
    }
  });
  if (plan.nextPlanId && !knownPlanIds.has(plan.nextPlanId)) issues.push({ path: 'nextPlanId', message: 'The next plan no longer exists' });
  return issues;
}

export function assertPlanValid(plan: PlanFields, known: KnownIds): void {
  const issues = planIssues(plan, known);
  const first = issues[0];
  if (first) throw validationFailed(`The plan cannot be saved: ${first.message}`, issues);
}

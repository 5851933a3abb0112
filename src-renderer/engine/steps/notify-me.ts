import type { Execution } from '@shared/model/enrollment';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { Plan, Step } from '@shared/model/plan';
import type { EngineDeps } from '../deps';
import { notificationRow } from '../outbox/channels';

const outcomeWords: Record<Execution['outcome'], string> = {
  done: 'ran',
  queued: 'is on its way',
  skipped: 'was skipped',
  failed: 'failed',
};

/** A step with "notify me" tells the user on the desktop when it runs; written with the execution, so shown once. */
export async function queueNotifyMe(deps: EngineDeps, plan: Plan, step: Step, lead: Lead, execution: Execution): Promise<void> {
  if (!step.notifyMe) return;
  const label = step.name || `Step ${plan.steps.indexOf(step) + 1}`;
  const reason = execution.reason ? `: ${execution.reason}` : '';
  await deps.db.outbox.add(
    notificationRow(
      deps,
      { leadId: lead.id, planId: plan.id, enrollmentId: execution.enrollmentId, stepId: step.id },
      `${execution.key}:notify-me`,
      `${leadDisplayName(lead)}: "${label}" ${outcomeWords[execution.outcome]}`,
      `Plan "${plan.name}"${reason}`,
      execution.at,
    ),
  );
}

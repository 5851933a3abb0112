import type { FieldIssue } from '@shared/rpc/errors';
import type { Lead } from '@shared/model/lead';
import type { Plan } from '@shared/model/plan';
import type { Template } from '@shared/model/template';
import type { User } from '@shared/model/team';

/** What every step editor can read: the data for its pickers and the save's field issues. */
export interface BuilderEnv {
  leads: Lead[];
  plans: Plan[];
  users: User[];
  templates: Template[];
  /** Issues by path ("steps.2.subject"), from the engine's last refused save. */
  issues: Record<string, string>;
  readOnly: boolean;
}

/** The engine reports paths of `plans.update` params under "plan."; the builder keys issues by the plan's own paths. */
export function issuesByPath(issues: FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path.replace(/^plan\./, '')] ??= i.message;
  return out;
}

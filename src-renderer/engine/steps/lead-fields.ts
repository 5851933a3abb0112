import { changeLead } from './lead-change';
import type { StepExecutor } from './types';

export const runAddTags: StepExecutor<'addTags'> = (run) => {
  const added = run.step.tags.filter((t) => !run.lead.tags.includes(t));
  if (added.length === 0) return run.skip(`the lead already has ${run.step.tags.map((t) => `"${t}"`).join(', ')}`);
  return changeLead(run, { tags: [...run.lead.tags, ...added] }, `Tags added: ${added.join(', ')}`);
};

export const runRemoveTags: StepExecutor<'removeTags'> = (run) => {
  const removed = run.lead.tags.filter((t) => run.step.tags.includes(t));
  if (removed.length === 0) return run.skip(`the lead has none of ${run.step.tags.map((t) => `"${t}"`).join(', ')}`);
  return changeLead(run, { tags: run.lead.tags.filter((t) => !removed.includes(t)) }, `Tags removed: ${removed.join(', ')}`);
};

export const runChangeStage: StepExecutor<'changeStage'> = (run) => {
  if (run.lead.stage === run.step.stage) return run.skip(`the lead is already in stage "${run.step.stage}"`);
  return changeLead(run, { stage: run.step.stage }, `Stage changed from "${run.lead.stage}" to "${run.step.stage}"`);
};

export const runChangeContactType: StepExecutor<'changeContactType'> = (run) => {
  const from = run.lead.contactType ?? 'Lead';
  if (from === run.step.contactType) return run.skip(`the lead is already a "${from}"`);
  return changeLead(run, { contactType: run.step.contactType }, `Contact type changed from "${from}" to "${run.step.contactType}"`);
};

const ROLE_NAMES = { buyerAgent: 'buyer agent', listingAgent: 'listing agent', lender: 'lender' } as const;

export const runAssignUser: StepExecutor<'assignUser'> = async (run) => {
  const user = await run.deps.db.users.get(run.step.userId);
  // A deleted user is a bad reference: a recorded failure for this enrollment only.
  if (!user) return run.fail(`the user to assign as ${ROLE_NAMES[run.step.role]} no longer exists`);
  if (run.lead.assignees[run.step.role] === user.id) return run.skip(`${user.name} is already the ${ROLE_NAMES[run.step.role]}`);
  return changeLead(
    run,
    { assignees: { ...run.lead.assignees, [run.step.role]: user.id } },
    `${user.name} assigned as ${ROLE_NAMES[run.step.role]}`,
  );
};

export const runUnassignUser: StepExecutor<'unassignUser'> = (run) => {
  const { role } = run.step;
  if (!run.lead.assignees[role]) return run.skip(`the lead has no ${ROLE_NAMES[role]}`);
  const assignees = { ...run.lead.assignees };
  delete assignees[role];
  return changeLead(run, { assignees }, `${ROLE_NAMES[role].replace(/^\w/, (c) => c.toUpperCase())} unassigned`);
};

import type { PlanInput, StepInput } from '@shared/model/plan';
import type { LeadId, PlanId } from '@shared/model/ids';
import type { LeadInput } from '@shared/model/lead';
import type { TestEngine } from './harness';
import { aLead, currentUserId, startEngine } from './harness';

let n = 0;
/** A step of any kind with a fresh id; timing defaults to immediate. */
export const step = (patch: Record<string, unknown>): StepInput =>
  ({ id: `s${++n}`, timing: { kind: 'immediate' }, ...patch }) as unknown as StepInput;

async function createPlan(t: TestEngine, owner: string, steps: StepInput[], patch: Partial<PlanInput> = {}) {
  return t.call('plans.create', {
    name: 'Plan',
    scope: { kind: 'personal', ownerUserId: owner },
    status: 'ready',
    steps,
    ...patch,
  });
}

export async function world(opts: Parameters<typeof startEngine>[0] = {}) {
  const t = await startEngine(opts);
  const owner = await currentUserId(t);
  return {
    t,
    owner,
    plan: (steps: StepInput[], patch: Partial<PlanInput> = {}) => createPlan(t, owner, steps, patch),
    lead: (patch: Partial<LeadInput> = {}) => t.call('leads.create', aLead(patch)),
    enroll: (leadId: LeadId, planId: PlanId) => t.call('enrollments.enroll', { leadId, planId }),
    history: async (leadId: LeadId) => (await t.call('leads.history', { leadId })).map((h) => h.summary).reverse(),
    enrollments: (leadId: LeadId) => t.call('enrollments.forLead', { leadId }),
  };
}

export const email = (patch: Record<string, unknown> = {}) =>
  step({ kind: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi', ...patch });

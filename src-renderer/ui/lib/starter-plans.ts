import type { PlanInput } from '@shared/model/plan';
import type { StarterPlan } from './starter-plans-schema';
import { starterPlanSchema } from './starter-plans-schema';

// Bundled at build time: the files ship inside the app, so import works offline.
const files = import.meta.glob<unknown>('../../../resources/starter-plans/*.json', { eager: true, import: 'default' });

export interface StarterEntry {
  file: string;
  plan: StarterPlan | null;
  /** Why a shipped file cannot be used (a broken file never breaks the list). */
  problem: string | null;
}

export const STARTER_PLANS: StarterEntry[] = Object.entries(files)
  .map(([path, raw]) => {
    const parsed = starterPlanSchema.safeParse(raw);
    const file = path.split('/').pop() ?? path;
    return parsed.success
      ? { file, plan: parsed.data, problem: null }
      : { file, plan: null, problem: parsed.error.issues[0]?.message ?? 'not a plan' };
  })
  .sort((a, b) => (a.plan?.name ?? a.file).localeCompare(b.plan?.name ?? b.file));

/** The plan to create: fresh step ids (so two imports never share ids), a draft, owned as chosen. */
export function starterToPlan(starter: StarterPlan, scope: PlanInput['scope']): PlanInput {
  const { starter: _s, description: _d, ...plan } = starter;
  return {
    ...plan,
    scope,
    status: 'draft',
    locked: false,
    nextPlanId: undefined,
    steps: plan.steps.map((s) => ({ ...s, id: crypto.randomUUID() as typeof s.id })),
  };
}

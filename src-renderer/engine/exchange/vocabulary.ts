import type { EngineDeps } from '../deps';

export interface Vocabulary {
  tags: Set<string>;
  stages: Set<string>;
  sources: Set<string>;
}

/**
 * The tags, stages and sources in use here (on leads and in plans). There is no table of them:
 * they are the words on records, so "exists" means "some lead or plan already uses it".
 */
export async function readVocabulary(deps: EngineDeps): Promise<Vocabulary> {
  const v: Vocabulary = { tags: new Set(), stages: new Set(['New']), sources: new Set() };
  await deps.db.plans.each((plan) => {
    plan.triggers.tags.forEach((t) => v.tags.add(t));
    plan.triggers.stages.forEach((s) => v.stages.add(s));
    plan.triggers.sources.forEach((s) => v.sources.add(s));
    for (const step of plan.steps) {
      if (step.kind === 'addTags' || step.kind === 'removeTags') step.tags.forEach((t) => v.tags.add(t));
      if (step.kind === 'changeStage') v.stages.add(step.stage);
    }
  });
  await deps.db.leads.each((lead) => {
    lead.tags.forEach((t) => v.tags.add(t));
    if (lead.stage) v.stages.add(lead.stage);
    if (lead.source) v.sources.add(lead.source);
  });
  return v;
}

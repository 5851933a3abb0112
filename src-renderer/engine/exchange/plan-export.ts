import type { FilePlan, FileStep, FileTemplate, PlanFile } from '@shared/exchange/plan-file';
import { PLAN_FILE_FORMAT, PLAN_FILE_VERSION } from '@shared/exchange/plan-file';
import type { PlanId } from '@shared/model/ids';
import type { Plan, Step } from '@shared/model/plan';
import type { User } from '@shared/model/team';
import { AppError, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { TemplateRow } from '../store/db';
import { canSeePlan } from './access';

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].filter((n) => n.trim() !== '').sort((a, b) => a.localeCompare(b));

/** The chosen plans plus every plan they chain to (next plan, assign/pause plan), so the file is whole. */
async function withChainedPlans(deps: EngineDeps, user: User, chosen: Plan[]): Promise<Plan[]> {
  const byId = new Map(chosen.map((p) => [p.id, p]));
  const queue = [...chosen];
  while (queue.length > 0) {
    const plan = queue.shift()!;
    const refs = [plan.nextPlanId, ...plan.steps.map((s) => ('planId' in s ? s.planId : undefined))];
    for (const id of refs) {
      if (!id || byId.has(id)) continue;
      const other = await deps.db.plans.get(id);
      if (!other) continue;
      if (!canSeePlan(other, user)) {
        throw new AppError('PermissionDenied', `Plan "${plan.name}" refers to a plan you cannot see, so it cannot be exported.`, {
          planId: id,
        });
      }
      byId.set(id, other);
      queue.push(other);
    }
  }
  return [...byId.values()];
}

function fileStep(step: Step, keys: Map<PlanId, string>, userName: (id: string) => string, templateName: (id: string) => string): FileStep {
  const { id: _id, ...rest } = step;
  const out: Record<string, unknown> = { ...rest };
  if ('planId' in step) {
    delete out.planId;
    out.plan = keys.get(step.planId);
  }
  if ('userId' in step) {
    delete out.userId;
    out.user = userName(step.userId);
  }
  if ('templateId' in step && step.templateId !== undefined) {
    delete out.templateId;
    out.template = templateName(step.templateId);
  }
  return out as FileStep;
}

/** Builds the portable file of DESIGN §7 for the given plans (all visible plans when none are given). */
export async function buildPlanFile(deps: EngineDeps, user: User, planIds: PlanId[] | undefined): Promise<PlanFile> {
  const { db } = deps;
  let chosen: Plan[];
  if (planIds) {
    chosen = [];
    for (const id of planIds) {
      const plan = await db.plans.get(id);
      if (!plan || !canSeePlan(plan, user)) throw notFound('Plan', id);
      chosen.push(plan);
    }
  } else {
    chosen = (await db.plans.toArray()).filter((p) => canSeePlan(p, user));
  }
  if (chosen.length === 0) throw new AppError('ValidationFailed', 'There is no plan to export yet.');
  const plans = (await withChainedPlans(deps, user, chosen)).sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt);
  const keys = new Map(plans.map((p, i) => [p.id, `plan-${i + 1}`]));

  const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u]));
  const usedUsers = new Map<string, User>();
  const userName = (id: string): string => {
    const u = users.get(id);
    const name = u?.name ?? `Unknown user ${id}`;
    if (u) usedUsers.set(name, u);
    return name;
  };
  const templates = new Map((await db.templates.toArray()).map((t) => [t.id, t]));
  const usedTemplates = new Map<string, TemplateRow>();
  const templateName = (id: string): string => {
    const t = templates.get(id);
    if (!t) throw new AppError('NotFound', `A step uses a template that no longer exists (${id}); pick another template first.`, { id });
    usedTemplates.set(t.name, t);
    return t.name;
  };

  const tags: string[] = [];
  const stages: string[] = [];
  const sources: string[] = [];
  const filePlans: FilePlan[] = plans.map((plan) => {
    tags.push(...plan.triggers.tags);
    stages.push(...plan.triggers.stages);
    sources.push(...plan.triggers.sources);
    for (const step of plan.steps) {
      if (step.kind === 'addTags' || step.kind === 'removeTags') tags.push(...step.tags);
      if (step.kind === 'changeStage') stages.push(step.stage);
    }
    return {
      key: keys.get(plan.id)!,
      name: plan.name,
      scope: plan.scope.kind,
      type: plan.type,
      category: plan.category,
      status: plan.status,
      locked: plan.locked,
      nextPlan: plan.nextPlanId ? (keys.get(plan.nextPlanId) ?? null) : null,
      triggers: plan.triggers,
      pauseOnReply: plan.pauseOnReply,
      misfire: plan.misfire,
      allowRestart: plan.allowRestart,
      steps: plan.steps.map((s) => fileStep(s, keys, userName, templateName)),
    };
  });
  const fileTemplates: FileTemplate[] = [...usedTemplates.values()]
    .map((t) => ({ name: t.name, kind: t.kind, subject: t.subject, body: t.body }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    exportedAt: new Date(deps.clock.now()).toISOString(),
    exportedBy: user.name,
    plans: filePlans,
    templates: fileTemplates,
    tags: sorted(tags),
    stages: sorted(stages),
    sources: sorted(sources),
    users: [...usedUsers.values()]
      .map((u) => ({ name: u.name, email: u.email, role: u.role }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

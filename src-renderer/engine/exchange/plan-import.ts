import type { PlanImportPreview, PlanImportResult } from '@shared/contract/exchange';
import type { ConflictAction, FilePlan } from '@shared/exchange/plan-file';
import { planImportMappingSchema } from '@shared/exchange/plan-file';
import type { PlanImportMapping } from '@shared/exchange/plan-file';
import type { PlanId, UserId } from '@shared/model/ids';
import type { Plan, PlanScope } from '@shared/model/plan';
import { planInputSchema } from '@shared/model/plan';
import type { User } from '@shared/model/team';
import type { FieldIssue } from '@shared/rpc/errors';
import { conflict, validationFailed } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import { planIssues } from '../plans/validate';
import { assertEditsPlan } from '../team/permissions';
import { getActionPlanSettings } from '../team/settings';
import type { TemplateRow } from '../store/db';
import { assertCanImportAsAccount, canSeePlan, isManager } from './access';
import { readPlanFile } from './plan-file-read';
import { readVocabulary } from './vocabulary';
import { enrollmentsOfPlan } from '../store/queries';

type Scope = 'personal' | 'account';

/** Plans where an imported plan would land: a name is taken only among those. */
async function plansInScope(deps: EngineDeps, user: User, as: Scope): Promise<Plan[]> {
  const all = await deps.db.plans.toArray();
  return all.filter((p) => (as === 'account' ? p.scope.kind === 'account' : p.scope.kind === 'personal' && canSeePlan(p, user)));
}

async function enrolledCount(deps: EngineDeps, id: PlanId): Promise<number> {
  return enrollmentsOfPlan(deps.db, id)
    .filter((e) => e.state !== 'removed')
    .count();
}

function matchUser(users: User[], name: string, email: string): User | undefined {
  const lower = name.trim().toLowerCase();
  return (
    users.find((u) => u.name.trim().toLowerCase() === lower) ??
    (email ? users.find((u) => u.email.toLowerCase() === email.toLowerCase()) : undefined)
  );
}

export async function previewPlanImport(deps: EngineDeps, user: User, text: string, as: Scope): Promise<PlanImportPreview> {
  const file = readPlanFile(text);
  const [vocab, targets, users, templates] = await Promise.all([
    readVocabulary(deps),
    plansInScope(deps, user, as),
    deps.db.users.toArray(),
    deps.db.templates.toArray(),
  ]);
  const plans = await Promise.all(
    file.plans.map(async (p) => {
      const same = targets.find((t) => t.name === p.name);
      return {
        key: p.key,
        name: p.name,
        steps: p.steps.length,
        status: p.status,
        conflict: same ? { planId: same.id, enrolled: await enrolledCount(deps, same.id) } : null,
      };
    }),
  );
  const sortedList = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return {
    exportedBy: file.exportedBy,
    exportedAt: file.exportedAt,
    plans,
    tags: file.tags.map((name) => ({ name, exists: vocab.tags.has(name) })),
    stages: file.stages.map((name) => ({ name, exists: vocab.stages.has(name) })),
    sources: file.sources.map((name) => ({ name, exists: vocab.sources.has(name) })),
    users: file.users.map((u) => ({ name: u.name, email: u.email, match: matchUser(users, u.name, u.email)?.id ?? null })),
    templates: file.templates.map((t) => ({ name: t.name, exists: templates.some((x) => x.name === t.name) })),
    known: { tags: sortedList(vocab.tags), stages: sortedList(vocab.stages), sources: sortedList(vocab.sources) },
    localUsers: users.map((u) => ({ id: u.id, name: u.name, role: u.role })),
    canImportAsAccount: isManager(user),
  };
}

export interface FileRefs {
  name: string;
  scope: PlanScope;
  locked: boolean;
  planIdOf(key: string): PlanId | undefined;
  userIdOf(name: string): UserId | undefined;
  templateIdOf(name: string): string | undefined;
  mapping: { tags: Record<string, string>; stages: Record<string, string>; sources: Record<string, string> };
  newStepId(): string;
}

/**
 * A file plan as plan input: new step ids, and every name or file key turned into what it means
 * here. The result is checked by the plan schema and rules by the caller, like a plan typed in.
 */
export function planInputFromFile(p: FilePlan, refs: FileRefs): Record<string, unknown> {
  const mapName = (table: Record<string, string>, name: string) => table[name] ?? name;
  const steps = p.steps.map((s) => {
    const { plan, user: userName, template, ...rest } = s;
    const step: Record<string, unknown> = { ...rest, id: refs.newStepId() };
    if (plan !== undefined) step.planId = refs.planIdOf(plan);
    if (userName !== undefined) step.userId = refs.userIdOf(userName) ?? '';
    if (template !== undefined) step.templateId = refs.templateIdOf(template);
    if (step.kind === 'addTags' || step.kind === 'removeTags')
      step.tags = (step.tags as string[]).map((t) => mapName(refs.mapping.tags, t));
    if (step.kind === 'changeStage') step.stage = mapName(refs.mapping.stages, step.stage as string);
    return step;
  });
  return {
    name: refs.name,
    scope: refs.scope,
    type: p.type,
    category: p.category,
    status: p.status,
    locked: refs.locked,
    nextPlanId: p.nextPlan ? refs.planIdOf(p.nextPlan) : undefined,
    triggers: {
      tags: p.triggers.tags.map((t) => mapName(refs.mapping.tags, t)),
      stages: p.triggers.stages.map((t) => mapName(refs.mapping.stages, t)),
      sources: p.triggers.sources.map((t) => mapName(refs.mapping.sources, t)),
    },
    pauseOnReply: p.pauseOnReply,
    misfire: p.misfire,
    allowRestart: p.allowRestart,
    steps,
  };
}

interface Plan2Write {
  filePlan: FilePlan;
  id: PlanId;
  action: ConflictAction | { action: 'create' };
}

/** Writes the file's plans with new step ids, every name mapped, in one transaction (all or nothing). */
export async function importPlanFile(
  deps: EngineDeps,
  user: User,
  params: { text: string; as: Scope; locked: boolean; mapping: PlanImportMapping },
): Promise<PlanImportResult> {
  const { db, clock } = deps;
  if (params.as === 'account') assertCanImportAsAccount(user);
  const file = readPlanFile(params.text);
  const mapping = planImportMappingSchema.parse(params.mapping);
  const [targets, users, templates] = await Promise.all([plansInScope(deps, user, params.as), db.users.toArray(), db.templates.toArray()]);
  const issues: FieldIssue[] = [];

  // 1. What happens to each plan, and the id every reference to it resolves to.
  const decided: Plan2Write[] = [];
  for (const p of file.plans) {
    const same = targets.find((t) => t.name === p.name);
    const action = mapping.conflicts[p.key] ?? (same ? null : { action: 'create' as const });
    if (action === null) {
      issues.push({ path: `conflicts.${p.key}`, message: `A plan named "${p.name}" already exists: choose rename, replace or skip` });
      continue;
    }
    if (action.action === 'rename' && targets.some((t) => t.name === action.name)) {
      issues.push({ path: `conflicts.${p.key}`, message: `A plan named "${action.name}" already exists too: choose another name` });
    }
    if ((action.action === 'replace' || action.action === 'skip') && !same) {
      issues.push({ path: `conflicts.${p.key}`, message: `There is no plan named "${p.name}" to ${action.action}` });
      continue;
    }
    if (action.action === 'replace' && same) {
      const enrolled = await enrolledCount(deps, same.id);
      if (enrolled > 0) {
        throw conflict(
          `"${p.name}" has ${enrolled} enrolled lead${enrolled === 1 ? '' : 's'}: remove them before replacing it, or import under another name.`,
          {
            enrolled,
          },
        );
      }
    }
    const id = action.action === 'replace' || action.action === 'skip' ? same!.id : (deps.newId() as PlanId);
    decided.push({ filePlan: p, id, action });
  }
  const idOfKey = new Map(decided.map((d) => [d.filePlan.key, d.id]));

  // 2. Users and templates by name.
  const userIdOf = new Map<string, UserId>();
  for (const u of file.users) {
    const chosen = mapping.users[u.name];
    const local = chosen ? users.find((x) => x.id === chosen) : matchUser(users, u.name, u.email);
    if (local) userIdOf.set(u.name, local.id);
    else issues.push({ path: `users.${u.name}`, message: `No user here matches "${u.name}": pick who takes their place` });
  }
  const newTemplates: TemplateRow[] = [];
  const templateIdOf = new Map<string, string>();
  for (const t of file.templates) {
    const same = templates.find((x) => x.name === t.name && x.kind === t.kind && x.subject === t.subject && x.body === t.body);
    if (same) {
      templateIdOf.set(t.name, same.id);
      continue;
    }
    const taken = (n: string) => templates.some((x) => x.name === n) || newTemplates.some((x) => x.name === n);
    let name = t.name;
    for (let i = 2; taken(name); i++) name = `${t.name} (imported${i > 2 ? ` ${i - 1}` : ''})`;
    const row: TemplateRow = { id: deps.newId(), name, kind: t.kind, subject: t.subject, body: t.body };
    newTemplates.push(row);
    templateIdOf.set(t.name, row.id);
  }

  const scope: PlanScope = params.as === 'account' ? { kind: 'account' } : { kind: 'personal', ownerUserId: user.id };
  const now = clock.now();
  const writes: Plan[] = [];
  const allIds = new Set([...((await db.plans.toCollection().primaryKeys()) as string[]), ...idOfKey.values()]);

  decided.forEach(({ filePlan: p, id, action }, i) => {
    if (action.action === 'skip') return;
    const input = planInputFromFile(p, {
      name: action.action === 'rename' ? action.name : p.name,
      scope,
      locked: params.locked || p.locked,
      planIdOf: (key) => idOfKey.get(key),
      userIdOf: (name) => userIdOf.get(name),
      templateIdOf: (name) => templateIdOf.get(name),
      mapping,
      newStepId: () => deps.newId(),
    });
    const parsed = planInputSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: `plans.${i}.${issue.path.map(String).join('.')}`, message: `Plan "${p.name}": ${issue.message}` });
      }
      return;
    }
    for (const issue of planIssues(parsed.data, { plans: allIds, users: new Set(users.map((u) => u.id as string)) }))
      issues.push({ path: `plans.${i}.${issue.path}`, message: `Plan "${p.name}": ${issue.message}` });
    const before = targets.find((t) => t.id === id);
    writes.push({ ...parsed.data, id, createdAt: before?.createdAt ?? now, updatedAt: now, createdBy: before?.createdBy ?? user.id });
  });

  const first = issues[0];
  if (first) throw validationFailed(`The plans cannot be imported: ${first.message}`, issues);
  // The same rights as creating each plan by hand (personal plans need the account's toggle 1).
  const settings = await getActionPlanSettings(db);
  for (const plan of writes) assertEditsPlan(user, plan, settings);

  await db.transaction('rw', db.plans, db.templates, async () => {
    if (newTemplates.length > 0) await db.templates.bulkAdd(newTemplates);
    await db.plans.bulkPut(writes);
  });
  deps.wake();
  return {
    imported: writes.map((p) => ({ id: p.id, name: p.name })),
    replaced: decided.filter((d) => d.action.action === 'replace').length,
    skipped: decided.filter((d) => d.action.action === 'skip').length,
  };
}

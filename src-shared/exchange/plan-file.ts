import { z } from 'zod';
import { misfirePolicySchema, planCategorySchema, planStatusSchema, planTypeSchema, timingSchema } from '../model/plan';

/**
 * The portable plan file (`.plan.json`, DESIGN §7). Everything is referenced by name or by a key
 * local to the file, never by a database id, so a file made on one machine imports on another:
 * plans by `key` ("plan-1"), users by name, templates by name, tags/stages/sources by their text.
 */
export const PLAN_FILE_FORMAT = 'action-plans/plan-file';
export const PLAN_FILE_VERSION = 1;
/** Bigger files are refused before parsing: a plan file with 100 long plans is well under 5 MB. */
export const PLAN_FILE_MAX_BYTES = 10 * 1024 * 1024;

export const stepKindSchema = z.enum([
  'email',
  'sms',
  'task',
  'automatedCall',
  'addTags',
  'removeTags',
  'changeStage',
  'changeContactType',
  'addNote',
  'assignUser',
  'unassignUser',
  'assignPlan',
  'pausePlan',
  'pauseAllPlans',
  'repeatPlan',
  'webhook',
]);

/**
 * A step in the file: a plan step without its id, with `plan`, `user` and `template` naming what
 * `planId`, `userId` and `templateId` pointed at. Kind-specific fields are checked against the
 * real step schema on import, after the names are mapped (so each problem carries its step's path).
 */
export const fileStepSchema = z
  .object({
    kind: stepKindSchema,
    name: z.string().max(200),
    notifyMe: z.boolean(),
    timing: timingSchema,
    plan: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    template: z.string().min(1).optional(),
  })
  .catchall(z.unknown());
export type FileStep = z.infer<typeof fileStepSchema>;

export const filePlanSchema = z.object({
  key: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  scope: z.enum(['account', 'personal']),
  type: planTypeSchema,
  category: planCategorySchema,
  status: planStatusSchema,
  locked: z.boolean(),
  nextPlan: z.string().min(1).nullable(),
  triggers: z.object({ sources: z.array(z.string()), stages: z.array(z.string()), tags: z.array(z.string()) }),
  pauseOnReply: z.boolean(),
  misfire: z.object({ policy: misfirePolicySchema, graceHours: z.number().min(0).max(720) }),
  allowRestart: z.boolean(),
  steps: z.array(fileStepSchema).max(500),
});
export type FilePlan = z.infer<typeof filePlanSchema>;

export const fileTemplateSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['email', 'sms']),
  subject: z.string(),
  body: z.string(),
});
export type FileTemplate = z.infer<typeof fileTemplateSchema>;

export const fileUserSchema = z.object({ name: z.string().min(1), email: z.string(), role: z.string() });

export const planFileSchema = z
  .object({
    format: z.literal(PLAN_FILE_FORMAT, { error: 'This is not an Action Plans plan file' }),
    version: z.literal(PLAN_FILE_VERSION, { error: `This plan file version is not supported (expected version ${PLAN_FILE_VERSION})` }),
    exportedAt: z.string(),
    exportedBy: z.string(),
    plans: z.array(filePlanSchema).min(1, 'The file holds no plans').max(1000),
    templates: z.array(fileTemplateSchema),
    tags: z.array(z.string()),
    stages: z.array(z.string()),
    sources: z.array(z.string()),
    users: z.array(fileUserSchema),
  })
  .superRefine((file, ctx) => {
    const keys = new Set(file.plans.map((p) => p.key));
    if (keys.size !== file.plans.length) ctx.addIssue({ code: 'custom', path: ['plans'], message: 'Two plans in the file share one key' });
    const templates = new Set(file.templates.map((t) => t.name));
    const users = new Set(file.users.map((u) => u.name));
    file.plans.forEach((plan, i) => {
      if (plan.nextPlan !== null && !keys.has(plan.nextPlan))
        ctx.addIssue({ code: 'custom', path: ['plans', i, 'nextPlan'], message: `Plan "${plan.name}": its next plan is not in the file` });
      plan.steps.forEach((step, j) => {
        const at = ['plans', i, 'steps', j];
        if (step.plan !== undefined && !keys.has(step.plan))
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'plan'],
            message: `Plan "${plan.name}" step ${j + 1}: its plan is not in the file`,
          });
        if (step.template !== undefined && !templates.has(step.template))
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'template'],
            message: `Plan "${plan.name}" step ${j + 1}: its template is not in the file`,
          });
        if (step.user !== undefined && !users.has(step.user))
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'user'],
            message: `Plan "${plan.name}" step ${j + 1}: its user is not in the file`,
          });
      });
    });
  });
export type PlanFile = z.infer<typeof planFileSchema>;

/** How a plan whose name is already taken is brought in. */
export const conflictActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('rename'), name: z.string().trim().min(1).max(200) }),
  z.object({ action: z.literal('replace') }),
  z.object({ action: z.literal('skip') }),
]);
export type ConflictAction = z.infer<typeof conflictActionSchema>;

/** The choices of the import wizard's mapping step. Names not listed keep their own name (created if new). */
export const planImportMappingSchema = z.object({
  tags: z.record(z.string(), z.string().trim().min(1)).default({}),
  stages: z.record(z.string(), z.string().trim().min(1)).default({}),
  sources: z.record(z.string(), z.string().trim().min(1)).default({}),
  /** File user name → user id here. Unlisted users are matched by name, then email. */
  users: z.record(z.string(), z.string().min(1)).default({}),
  /** File plan key → what to do when a plan with that name exists where it is imported. */
  conflicts: z.record(z.string(), conflictActionSchema).default({}),
});
export type PlanImportMapping = z.input<typeof planImportMappingSchema>;

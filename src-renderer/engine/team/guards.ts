import type { EngineContract, EngineMethod } from '@shared/contract';
import type { LeadId, PlanId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import type { Plan, PlanFields } from '@shared/model/plan';
import type { ActionPlanSettings, User } from '@shared/model/team';
import { AppError, notFound } from '@shared/rpc/errors';
import type { Handlers, ParsedParamsOf, ResultOf } from '@shared/rpc/spec';
import type { CallContext, EngineDeps } from '../deps';
import { bulkMatches } from '../enrollments/bulk';
import { LIVE_STATES } from '../enrollments/lifecycle';
import { getLead, toLead } from '../leads/app';
import { getPlan } from '../plans/app';
import type { Action } from './permissions';
import {
  assertCan,
  assertEditsPlan,
  assertMayAssign,
  assertMayAssignPlan,
  assertNotLocked,
  assertSeesLead,
  assertSeesPlan,
  can,
  countsTowardCap,
  canSeeLead,
  canSeePlan,
} from './permissions';
import { takeQuota } from './quota';
import { getActionPlanSettings } from './settings';
import { enrollmentsOfPlan, leadMatchesWord, leadsOfLender } from '../store/queries';

type AllHandlers = Handlers<EngineContract, CallContext>;
type Handler<K extends EngineMethod> = AllHandlers[K];
type Params<K extends EngineMethod> = ParsedParamsOf<EngineContract[K]>;
export type Wrapper<K extends EngineMethod> = (handler: Handler<K>) => Handler<K>;
export type GuardMap = { [K in EngineMethod]?: Wrapper<K> };

interface Who {
  user: User;
  settings: ActionPlanSettings;
}

/**
 * The permission wrappers composed at registration: one line per guarded method.
 * A method with no line here is open to every signed-in user.
 */
type Assignees = Lead['assignees'];

/**
 * Who works a lead is a manager's decision: an agent or lender who can see a lead may not make
 * themselves (or anyone) its buyer or listing agent, or they could then run their personal plans
 * on it. An agent may pick the lead's lender only while "preferred lender" is on (DESIGN §3).
 */
function assertMayReassign(before: Assignees, after: Assignees, w: Who): void {
  if (w.user.role === 'primaryManager' || w.user.role === 'manager') return;
  const changed = (['buyerAgent', 'listingAgent', 'lender'] as const).filter((r) => (before[r] ?? null) !== (after[r] ?? null));
  const lenderOk = w.user.role === 'agent' && w.settings.preferredLender;
  const refused = changed.filter((r) => !(r === 'lender' && lenderOk));
  if (refused.length === 0) return;
  const words = { buyerAgent: 'buyer agent', listingAgent: 'listing agent', lender: 'lender' };
  const why = refused.includes('lender') ? ' (an agent may pick the lender while “Allow users to select a preferred lender” is on)' : '';
  throw new AppError(
    'PermissionDenied',
    `Only managers can change who works this lead: ${refused.map((r) => words[r]).join(', ')}${why}.`,
    {
      action: 'reassignLead',
      role: w.user.role,
      fields: refused,
    },
  );
}

export function teamGuards(deps: EngineDeps): GuardMap {
  const { db } = deps;
  const who = async (ctx: CallContext): Promise<Who> => ({ user: ctx.user, settings: await getActionPlanSettings(db) });

  /** Runs `check` before the handler; the check throws the typed error. */
  const before =
    <K extends EngineMethod>(check: (params: Params<K>, w: Who) => Promise<void> | void): Wrapper<K> =>
    (handler) =>
      (async (params: Params<K>, ctx: CallContext) => {
        await check(params, await who(ctx));
        return handler(params as never, ctx);
      }) as Handler<K>;

  /** Shapes the result for the caller (lists they may only partly see). */
  const after =
    <K extends EngineMethod>(shape: (result: ResultOf<EngineContract[K]>, w: Who) => Promise<ResultOf<EngineContract[K]>>): Wrapper<K> =>
    (handler) =>
      (async (params: Params<K>, ctx: CallContext) => shape(await handler(params as never, ctx), await who(ctx))) as Handler<K>;

  const allowed = <K extends EngineMethod>(action: Action): Wrapper<K> => before<K>((_p, w) => assertCan(action, w.user, w.settings));

  const notYetIn = async (planId: PlanId, leadIds: LeadId[]): Promise<LeadId[]> => {
    const rows = await enrollmentsOfPlan(db, planId).toArray();
    const live = new Set(rows.filter((e) => LIVE_STATES.has(e.state)).map((e) => e.leadId));
    return leadIds.filter((id) => !live.has(id));
  };

  const seesLead = async (id: LeadId, w: Who): Promise<void> => assertSeesLead(w.user, await getLead(deps, id), w.settings);

  const editsPlan = async (id: PlanId, w: Who, next?: PlanFields): Promise<Plan> => {
    const plan = await getPlan(deps, id);
    assertSeesPlan(w.user, plan);
    assertNotLocked(w.user, plan, w.settings);
    assertEditsPlan(w.user, plan, w.settings);
    if (next) {
      assertEditsPlan(w.user, next, w.settings);
      if (next.scope.kind !== plan.scope.kind || next.locked) assertCan('editAccountPlans', w.user, w.settings);
    }
    return plan;
  };

  return {
    'leads.get': before(({ id }, w) => seesLead(id, w)),
    'leads.update': before(async ({ id, fields }, w) => {
      const lead = await getLead(deps, id);
      assertSeesLead(w.user, lead, w.settings);
      assertMayReassign(lead.assignees, fields.assignees, w);
    }),
    'leads.history': before(({ leadId }, w) => seesLead(leadId, w)),
    'leads.upcoming': before(({ leadId }, w) => seesLead(leadId, w)),
    'leads.list': (handler) => async (params, ctx) => {
      const w = await who(ctx);
      if (can('viewAllLeads', w.user.role, w.settings)) return handler(params, ctx);
      // A lender's list reads the lender index: only leads where they are the lender, newest first.
      const term = params.search.trim().toLowerCase();
      const mine = leadsOfLender(db, w.user.id);
      if (!term) {
        const [rows, total] = await Promise.all([mine.clone().reverse().offset(params.offset).limit(params.limit).toArray(), mine.count()]);
        return { rows: rows.map(toLead), total };
      }
      const found = (await mine.toArray()).filter((l) => leadMatchesWord(l, term)).reverse();
      return { rows: found.slice(params.offset, params.offset + params.limit).map(toLead), total: found.length };
    },
    'plans.list': after((plans, w) => Promise.resolve(plans.filter((s) => canSeePlan(w.user, s.plan)))),
    'plans.get': before(async ({ id }, w) => assertSeesPlan(w.user, await getPlan(deps, id))),
    'plans.create': before((fields, w) => {
      assertEditsPlan(w.user, fields, w.settings);
      if (fields.locked) assertCan('editAccountPlans', w.user, w.settings);
    }),
    'plans.update': before(async ({ id, plan }, w) => void (await editsPlan(id, w, plan))),
    'plans.setStatus': before(async ({ id }, w) => void (await editsPlan(id, w))),
    'plans.delete': before(async ({ id }, w) => void (await editsPlan(id, w))),
    'enrollments.enroll': assignmentGuard(
      deps,
      ({ leadId }) => [leadId],
      ({ planId }) => planId,
    ),
    // A bulk counts each lead it would enroll (leads already in the plan are skipped, not assigned).
    'enrollments.bulkEnroll': assignmentGuard(
      deps,
      async (selection) => notYetIn(selection.planId, await bulkMatches(deps, selection)),
      (selection) => selection.planId,
    ),
    'enrollments.enrollLeads': assignmentGuard(
      deps,
      ({ planId, leadIds }) => notYetIn(planId, leadIds),
      ({ planId }) => planId,
    ),
    'enrollments.bulkPreview': before(async ({ planId }, w) => assertSeesPlan(w.user, await getPlan(deps, planId))),
    'enrollments.forLead': before(({ leadId }, w) => seesLead(leadId, w)),
    'enrollments.apply': before(async ({ id }, w) => {
      const e = await db.enrollments.get(id);
      if (!e) throw notFound('Enrollment', id);
      await seesLead(e.leadId, w);
    }),
    'leads.addNote': before(({ leadId }, w) => seesLead(leadId, w)),
    'plans.testWebhook': before(async ({ leadId }, w) => (leadId ? seesLead(leadId, w) : undefined)),
    'plans.preview': before(async ({ planId, leadId }, w) => {
      if (planId) assertSeesPlan(w.user, await getPlan(deps, planId));
      if (leadId) await seesLead(leadId, w);
    }),
    'plans.previewEdit': before(async ({ id, plan }, w) => void (await editsPlan(id, w, plan))),
    'enrollments.recordReply': before(({ leadId }, w) => seesLead(leadId, w)),
    'tasks.sendNow': before(async ({ id }, w) => {
      const task = await db.tasks.get(id);
      if (!task) throw notFound('Task', id);
      await seesLead(task.leadId, w);
    }),
    'tasks.create': before(({ leadId }, w) => seesLead(leadId, w)),
    'tasks.list': before(async ({ leadId }, w) => (leadId ? seesLead(leadId, w) : undefined)),
    'team.settings.set': allowed('manageActionPlanSettings'),
    'team.users.add': allowed('manageUsers'),
    'team.users.update': allowed('manageUsers'),
    'team.users.remove': allowed('manageUsers'),
    'team.exportFile': allowed('exportTeamFile'),
    // Setting up the team's server and giving people their sign-ins: who manages people.
    'sync.setupTeam': allowed('manageUsers'),
    'sync.invite': allowed('manageUsers'),
    'plans.setLocked': allowed('editAccountPlans'),
    'plans.duplicate': before(async ({ id }, w) => {
      assertSeesPlan(w.user, await getPlan(deps, id));
      assertCan('createPersonalPlans', w.user, w.settings);
    }),
    'routing.rules.list': allowed('manageRoutingRules'),
    'routing.rules.create': allowed('manageRoutingRules'),
    'routing.rules.update': allowed('manageRoutingRules'),
    'routing.rules.reorder': allowed('manageRoutingRules'),
    'routing.rules.delete': allowed('manageRoutingRules'),
    'routing.mySettings.get': allowed('editLeadRoutingSettings'),
    'routing.mySettings.save': allowed('editLeadRoutingSettings'),
    'outbox.list': after(async (rows, w) => {
      if (can('viewAllLeads', w.user.role, w.settings)) return rows;
      const visible = await Promise.all(rows.map((m) => db.leads.get(m.leadId)));
      return rows.filter((_, i) => {
        const lead = visible[i];
        return lead ? canSeeLead(w.user, lead, w.settings) : false;
      });
    }),
  };
}

/**
 * Manual assignment of leads to one plan (one lead or a bulk): every lead is checked first, then
 * the ones that count are taken from today's quota in the same transaction as the enrollments —
 * a request over the remaining quota is refused whole and nothing is half-applied.
 * A bulk method guards itself with one line: `assignmentGuard(deps, (p) => p.leadIds, (p) => p.planId)`.
 */
export function assignmentGuard<K extends EngineMethod>(
  deps: EngineDeps,
  leadIdsOf: (p: Params<K>) => LeadId[] | Promise<LeadId[]>,
  planIdOf: (p: Params<K>) => PlanId,
): Wrapper<K> {
  const { db } = deps;
  return (handler) =>
    (async (params: Params<K>, ctx: CallContext) => {
      const settings = await getActionPlanSettings(db);
      const plan = await getPlan(deps, planIdOf(params));
      assertMayAssignPlan(ctx.user, plan, settings);
      const leadIds = await leadIdsOf(params);
      // Per-lead rules (a lender's own leads, a personal plan's people) are read lead by lead;
      // otherwise one check covers the whole request, so a manager's 100k-lead bulk is not slowed.
      const perLead = !can('viewAllLeads', ctx.user.role, settings) || plan.scope.kind === 'personal';
      const sample = perLead ? leadIds : leadIds.slice(0, 1);
      for (const leadId of sample) assertMayAssign(ctx.user, plan, await getLead(deps, leadId), settings);
      const counted = countsTowardCap(ctx.user, plan) ? leadIds.length : 0;
      if (counted === 0) return handler(params as never, ctx);
      return db.transaction('rw', db.tables, async () => {
        const quota = await takeQuota(deps, counted, ctx.user.id);
        const result = await handler(params as never, ctx);
        await quota.commit();
        return result;
      });
    }) as Handler<K>;
}

/** Composes the wrappers onto the handler map; methods without a wrapper are returned as they are. */
export function applyGuards(handlers: AllHandlers, guards: GuardMap): AllHandlers {
  const out = { ...handlers } as Record<string, unknown>;
  for (const [method, wrap] of Object.entries(guards) as [EngineMethod, Wrapper<EngineMethod>][]) {
    out[method] = wrap(handlers[method]);
  }
  return out as AllHandlers;
}

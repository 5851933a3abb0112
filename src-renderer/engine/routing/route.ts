import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { LeadRoutingSettings, RoutingChoice, User } from '@shared/model/team';
import { canReceiveRoutedLeads, effectiveSettings } from '@shared/model/team';
import type { EngineDeps } from '../deps';
import { enroll } from '../enrollments/app';
import { record, userActor } from '../history/history';
import { getActionPlanSettings } from '../team/settings';
import { nextAssignee, pickRule } from './match';

export function emptyRoutingSettings(userId: User['id']): LeadRoutingSettings {
  return { userId, defaults: { planId: null, lenderId: null }, perRule: {} };
}

/**
 * Decides who a new lead belongs to; call inside the transaction that created it.
 * A lead that already names its people keeps them; an agent's or lender's own new lead is theirs;
 * a manager's new or imported lead goes through the routing rules (round robin), and the routed
 * user's Lead Routing Settings enroll it in their personal plan and assign their preferred lender.
 */
export async function assignNewLead(deps: EngineDeps, lead: Lead, creator: User): Promise<Lead> {
  const { buyerAgent, listingAgent, lender } = lead.assignees;
  if (buyerAgent || listingAgent || lender) return lead;
  if (creator.role === 'agent' || creator.role === 'lender') return save(deps, lead, ownedBy(lead, creator));
  return (await route(deps, lead)) ?? save(deps, lead, ownedBy(lead, creator));
}

export function ownedBy(lead: Lead, user: User): Lead {
  return { ...lead, assignees: user.role === 'lender' ? { lender: user.id } : { buyerAgent: user.id } };
}

/** Writes the lead's new people only: the stored row keeps the rest (how it was created, its plans' summary). */
async function save(deps: EngineDeps, before: Lead, lead: Lead): Promise<Lead> {
  if (before !== lead) await deps.db.leads.update(lead.id, { assignees: lead.assignees });
  return lead;
}

async function route(deps: EngineDeps, lead: Lead): Promise<Lead | null> {
  const { db, clock } = deps;
  const rules = await db.routingRules.toArray();
  const rule = pickRule(rules, lead);
  if (!rule) return null;
  const users = new Map((await db.users.toArray()).map((u) => [u.id as string, u]));
  // A lender never receives a routed lead, even from a rule saved before that was checked.
  const pick = nextAssignee(rule, (id) => canReceiveRoutedLeads(users.get(id)?.role ?? 'lender'));
  if (!pick) return null;
  await db.routingRules.put(pick.rule);
  const user = users.get(pick.assigneeId)!;
  const settings = effectiveSettings(await getActionPlanSettings(db));
  const mine = (await db.leadRoutingSettings.get(user.id)) ?? emptyRoutingSettings(user.id);
  const forRule = mine.perRule[rule.id];
  // Per rule first, then the user's defaults, choice by choice.
  const choice: RoutingChoice = {
    planId: forRule?.planId ?? mine.defaults.planId,
    lenderId: forRule?.lenderId ?? mine.defaults.lenderId,
  };
  const whose = (field: keyof RoutingChoice): string => (forRule?.[field] ? `for rule "${rule.name}"` : 'defaults');

  const notes: string[] = [];
  let routed = ownedBy(lead, user);
  const lender = settings.preferredLender && choice.lenderId ? users.get(choice.lenderId) : undefined;
  if (lender?.role === 'lender' && user.role !== 'lender') {
    routed = { ...routed, assignees: { ...routed.assignees, lender: lender.id } };
    notes.push(`preferred lender ${lender.name} (${user.name}’s Lead Routing Settings, ${whose('lenderId')})`);
  }
  routed = await save(deps, lead, routed);
  const now = clock.now();
  await record(db, deps.newId(), {
    leadId: lead.id,
    at: now,
    kind: 'note',
    summary: `Routed to ${user.name} by rule "${rule.name}"${notes.length ? `; ${notes.join('; ')}` : ''}`,
    actor: { kind: 'routing', ruleId: rule.id },
  });

  const plan = settings.personalPlans && choice.planId ? await db.plans.get(choice.planId) : undefined;
  if (!plan && settings.personalPlans && choice.planId && deps.sync?.session) {
    // With a team server the routed person's personal plans live on their own computer only: it
    // enrolls the lead there when the lead arrives (engine/sync/effects.ts).
    await db.leads.update(lead.id, { pendingRouting: { userId: user.id, ruleId: rule.id, ruleName: rule.name, planId: choice.planId } });
    await record(db, deps.newId(), {
      leadId: lead.id,
      at: now,
      kind: 'note',
      summary: `${user.name}’s computer enrolls ${leadDisplayName(lead)} in their personal plan (${user.name}’s Lead Routing Settings, ${whose('planId')}, rule "${rule.name}")`,
      actor: { kind: 'routing', ruleId: rule.id },
    });
  }
  if (plan && plan.scope.kind === 'personal' && plan.scope.ownerUserId === user.id) {
    const how = `${user.name}’s Lead Routing Settings (${whose('planId')}), rule "${rule.name}"`;
    if (plan.status === 'ready') {
      await enroll(deps, lead.id, plan.id, { kind: 'routing', ruleId: rule.id });
      await record(db, deps.newId(), {
        leadId: lead.id,
        at: now,
        kind: 'note',
        summary: `${leadDisplayName(lead)} enrolled in "${plan.name}" by ${how}`,
        actor: { kind: 'routing', ruleId: rule.id },
        planId: plan.id,
      });
    } else {
      await record(db, deps.newId(), {
        leadId: lead.id,
        at: now,
        kind: 'note',
        summary: `Not enrolled in "${plan.name}": it is a draft (${how})`,
        actor: userActor(user),
        planId: plan.id,
      });
    }
  }
  return routed;
}

import { describe, expect, it } from 'vitest';
import type { Lead, LeadInput } from '@shared/model/lead';
import { aLead, currentUserId, startEngine } from './harness';

async function team(preferredLender: boolean) {
  const t = await startEngine();
  await currentUserId(t);
  await t.call('team.settings.set', { personalPlans: false, preferredLender, manualAutomated: false });
  const agent = (await t.call('team.users.add', { name: 'Ava Agent', role: 'agent' })).id;
  const other = (await t.call('team.users.add', { name: 'Oz Agent', role: 'agent' })).id;
  const lender = (await t.call('team.users.add', { name: 'Leo Lender', role: 'lender' })).id;
  const lead = await t.call('leads.create', aLead({ assignees: { buyerAgent: other, lender } }));
  return { t, agent, other, lender, lead };
}

const fieldsOf = (lead: Lead, assignees: LeadInput['assignees']): LeadInput => ({
  firstName: lead.firstName,
  lastName: lead.lastName,
  email: lead.email ?? '',
  phone: lead.phone ?? '',
  timeZone: lead.timeZone,
  stage: lead.stage,
  source: lead.source,
  tags: lead.tags,
  eventDates: lead.eventDates,
  assignees,
});

describe('who works a lead', () => {
  it('an agent cannot make themselves the buyer agent of a lead they can see (then run their personal plans on it)', async () => {
    const { t, agent, lender, lead } = await team(false);
    const err = await t
      .call('leads.update', { id: lead.id, fields: fieldsOf(lead, { buyerAgent: agent, lender }) }, agent)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PermissionDenied', details: { fields: ['buyerAgent'] } });
    expect((await t.call('leads.get', { id: lead.id })).assignees.buyerAgent).not.toBe(agent);
  });

  it('an agent picks the lead’s lender only while “preferred lender” is on; a manager may always reassign', async () => {
    const off = await team(false);
    await expect(
      off.t.call('leads.update', { id: off.lead.id, fields: fieldsOf(off.lead, { buyerAgent: off.other }) }, off.agent),
    ).rejects.toMatchObject({ code: 'PermissionDenied' });
    const on = await team(true);
    const saved = await on.t.call('leads.update', { id: on.lead.id, fields: fieldsOf(on.lead, { buyerAgent: on.other }) }, on.agent);
    expect(saved.assignees.lender).toBeUndefined();
    const byManager = await on.t.call('leads.update', { id: on.lead.id, fields: fieldsOf(saved, { buyerAgent: on.agent }) });
    expect(byManager.assignees.buyerAgent).toBe(on.agent);
  });
});

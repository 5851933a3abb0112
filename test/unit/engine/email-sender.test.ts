import { describe, expect, it } from 'vitest';
import type { UserId } from '@shared/model/ids';
import { aLead, aPlan, currentUserId, startEngine } from './harness';

describe('plan emails come from the sending agent, with their signature', () => {
  it("the agent's signature is appended after the usual separator", async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    await t.db.settings.put({ key: `signature:${owner}`, value: 'Jane Agent\nLakeside Realty' });
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(owner));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    expect(t.host.sent[0]?.message.text).toBe('Hi Ann,\n\nWelcome.\n\n-- \nJane Agent\nLakeside Realty');
    expect(t.host.sent[0]?.message.html).toContain('Lakeside Realty');
    t.engine.close();
  });

  it("a team member's lead gets email in that member's name, and replies go to them", async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const bob = 'user-bob' as UserId;
    await t.db.users.add({ id: bob, name: 'Bob Broker', email: 'bob@realty.example', role: 'agent', timeZone: 'UTC', createdAt: 0 });
    const lead = await t.call('leads.create', aLead({ assignees: { buyerAgent: bob } }));
    const plan = await t.call('plans.create', aPlan(owner, { scope: { kind: 'account' } }));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    expect(t.host.sent[0]?.message).toMatchObject({ fromName: 'Bob Broker', replyTo: 'bob@realty.example' });
    t.engine.close();
  });
});

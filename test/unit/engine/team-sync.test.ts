import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouchServer } from '../../support/couch-server';
import { startCouch } from '../../support/couch-server';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { aLead } from './harness';
import type { Team } from './team-harness';
import { settle, teamOnServer } from './team-harness';

let couch: CouchServer;
let smtp: TestSmtp;

beforeAll(async () => {
  [couch, smtp] = await Promise.all([startCouch(), startTestSmtp()]);
}, 60_000);

afterAll(async () => {
  await smtp?.close();
  await couch?.stop();
});

describe('a team on several computers, through a CouchDB server', () => {
  let team: Team;
  afterAll(() => team?.close());

  it('a new computer joins and takes the team’s account, people and account plans', async () => {
    team = await teamOnServer(couch, smtp.port);
    const plan = await team.manager.call('plans.create', {
      name: 'Account welcome',
      scope: { kind: 'account' },
      status: 'ready',
      steps: [{ id: 's1', kind: 'addNote', note: 'hi', timing: { kind: 'immediate' } }] as never,
    });
    await team.manager.sync();
    const agent = await team.join('agent');
    const people = await agent.t.db.users.toArray();
    expect(people.map((u) => u.name).sort()).toEqual(['Alex Agent', 'Lee Lender', 'Maria Manager']);
    expect((await agent.call('session.get', {})).currentUser.name).toBe('Alex Agent');
    expect((await agent.t.db.plans.get(plan.id))?.name).toBe('Account welcome');
    expect(await agent.call('sync.status', {})).toMatchObject({ state: 'synced', role: 'agent' });
  });

  it('a lead routed on the manager’s computer reaches the agent’s and the lender’s computers only', async () => {
    const agent = await team.join('agent');
    const lender = await team.join('lender');
    const { people } = team;
    await team.manager.call('routing.rules.create', { name: 'Everyone', isDefault: true, assigneeIds: [people.agent.id] });
    await agent.call('routing.mySettings.save', { defaults: { planId: null, lenderId: people.lender.id }, perRule: {} });
    await settle(agent, team.manager);
    const routed = await team.manager.call('leads.create', aLead({ firstName: 'Rita', email: 'rita@example.com' }));
    const other = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Otto', email: 'otto@example.com' }),
      assignees: { buyerAgent: people.manager.id },
    });
    await settle(team.manager, agent, lender);
    expect((await agent.t.db.leads.get(routed.id))?.firstName).toBe('Rita');
    expect(await agent.t.db.leads.get(other.id)).toBeUndefined();
    expect((await team.manager.t.db.leads.get(routed.id))?.assignees).toEqual({ buyerAgent: people.agent.id, lender: people.lender.id });
    expect((await lender.t.db.leads.toArray()).map((l) => l.firstName)).toEqual(['Rita']);
    // The history line of the routing came along.
    expect((await lender.call('leads.history', { leadId: routed.id })).map((h) => h.summary).join('\n')).toMatch(
      /Routed to Alex Agent by rule "Everyone"/,
    );
  });
});

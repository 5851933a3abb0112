import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeadId, PlanId } from '@shared/model/ids';
import type { StepInput } from '@shared/model/plan';
import { teamDatabases } from '@shared/sync/server';
import type { CouchServer } from '../../support/couch-server';
import { startCouch } from '../../support/couch-server';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { aLead, DAY, MINUTE } from './harness';
import type { Computer, Team } from './team-harness';
import { edit, PASSWORD, settle, teamOnServer } from './team-harness';

let couch: CouchServer;
let smtp: TestSmtp;

// Each sync round is a few HTTP exchanges per database with a real server: these stories take seconds.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  [couch, smtp] = await Promise.all([startCouch(), startTestSmtp()]);
}, 60_000);

afterAll(async () => {
  await smtp?.close();
  await couch?.stop();
});

const basic = (user: string) => `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`;
const asUser = (team: Team, name: string, path: string, init: RequestInit = {}) =>
  fetch(`${couch.url}/${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: basic(team.loginOf(name)), ...init.headers },
  });

const note = (id: string, text: string, timing: StepInput['timing'] = { kind: 'immediate' }): StepInput =>
  ({ id, kind: 'addNote', note: text, timing }) as unknown as StepInput;

const sentTo = (address: string) => smtp.received.filter((m) => m.rcptTo.includes(address));

async function noCap(...computers: Computer[]) {
  for (const c of computers)
    await c.call('settings.sendPolicy.set', { ...(await c.call('settings.sendPolicy.get', {})), dailyTouchCap: 0 });
}

describe('who receives what, enforced by the server', () => {
  let team: Team;
  let agent: Computer;
  let lender: Computer;

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
    lender = await team.join('lender');
  }, 60_000);
  afterAll(() => team?.close());

  it('a new computer takes the team’s account, people and account plans, and signs in as its person', async () => {
    const plan = await team.manager.call('plans.create', {
      name: 'Account welcome',
      scope: { kind: 'account' },
      status: 'ready',
      steps: [note('s1', 'hi')],
    });
    await settle(team.manager, agent);
    expect((await agent.t.db.users.toArray()).map((u) => u.name).sort()).toEqual(['Alex Agent', 'Lee Lender', 'Maria Manager']);
    expect((await agent.call('session.get', {})).currentUser.name).toBe('Alex Agent');
    expect((await agent.t.db.plans.get(plan.id))?.name).toBe('Account welcome');
    expect(await agent.call('sync.status', {})).toMatchObject({
      state: 'synced',
      role: 'agent',
      message: expect.stringMatching(/^Synced at \d\d:\d\d/) as unknown,
    });
  });

  it('routing on the manager’s computer puts the lead on the agent’s and the lender’s computers; the lender holds exactly their leads', async () => {
    const { people } = team;
    await team.manager.call('routing.rules.create', { name: 'Everyone', isDefault: true, assigneeIds: [people.agent.id] });
    await agent.call('routing.mySettings.save', { defaults: { planId: null, lenderId: people.lender.id }, perRule: {} });
    await settle(agent, team.manager);
    const rita = await team.manager.call('leads.create', aLead({ firstName: 'Rita', email: 'rita@example.com' }));
    const otto = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Otto', email: 'otto@example.com' }),
      assignees: { buyerAgent: people.manager.id },
    });
    await settle(team.manager, agent, lender);
    expect((await team.manager.t.db.leads.get(rita.id))?.assignees).toEqual({ buyerAgent: people.agent.id, lender: people.lender.id });
    expect((await agent.t.db.leads.toArray()).map((l) => l.firstName)).toEqual(['Rita']);
    expect((await lender.t.db.leads.toArray()).map((l) => l.firstName)).toEqual(['Rita']);
    expect(await lender.t.db.leads.get(otto.id)).toBeUndefined();
    const history = (await lender.call('leads.history', { leadId: rita.id })).map((h) => h.summary).join('\n');
    expect(history).toMatch(/Routed to Alex Agent by rule "Everyone"; preferred lender Lee Lender/);
    // The server itself refuses the lender the whole team's leads.
    expect((await asUser(team, 'Lee', `${teamDatabases(team.teamId).leads}/_all_docs`)).status).toBe(401);
  });

  it('reassigning a lead moves it: the old lender’s copy goes, with a line in the lead’s history', async () => {
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Mona', email: 'mona@example.com' }),
      assignees: { buyerAgent: team.people.agent.id, lender: team.people.lender.id },
    });
    await settle(team.manager, agent, lender);
    expect(await lender.t.db.leads.get(lead.id)).toBeDefined();
    await edit(team.manager, lead.id, { assignees: { buyerAgent: team.people.agent.id } });
    await settle(team.manager, agent, lender);
    expect(await lender.t.db.leads.get(lead.id)).toBeUndefined();
    expect(await lender.t.db.history.where('[leadId+at]').between([lead.id, -Infinity], [lead.id, Infinity]).count()).toBe(0);
    const lines = (await agent.call('leads.history', { leadId: lead.id })).map((h) => h.summary);
    expect(lines.join('\n')).toMatch(/Lender: Lee Lender → none, by Maria Manager/);
  });

  it('personal plans reach only their creator’s computers, never another member’s, managers included', async () => {
    const mine = await agent.call('plans.create', {
      name: 'Alex’s own',
      scope: { kind: 'personal', ownerUserId: team.people.agent.id },
      status: 'ready',
      steps: [note('p1', 'mine')],
    });
    const laptop = await team.join('agent');
    await settle(agent, laptop, team.manager);
    expect((await laptop.t.db.plans.get(mine.id))?.name).toBe('Alex’s own');
    expect(await team.manager.t.db.plans.get(mine.id)).toBeUndefined();
    expect(await lender.t.db.plans.get(mine.id)).toBeUndefined();
    const personal = teamDatabases(team.teamId).personal(team.people.agent.id);
    expect((await asUser(team, 'Maria', `${personal}/_all_docs`)).status).toBe(401);
    expect((await asUser(team, 'Alex', `${personal}/_all_docs`)).status).toBe(200);
  });

  it('an agent editing an account plan is refused by the server, in the server’s words', async () => {
    const plan = await team.manager.call('plans.create', {
      name: 'Locked in',
      scope: { kind: 'account' },
      status: 'ready',
      steps: [note('l1', 'x')],
    });
    await settle(team.manager, agent);
    const path = `${teamDatabases(team.teamId).team}/plan%3A${plan.id}`;
    const doc = (await (await asUser(team, 'Alex', path)).json()) as { row: { name: string } };
    const put = await asUser(team, 'Alex', path, { method: 'PUT', body: JSON.stringify({ ...doc, row: { ...doc.row, name: 'Hacked' } }) });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ error: 'forbidden', reason: 'Only managers can change account plans.' });
    // The app refuses first; a store changed behind its back is not sent, and says why.
    await expect(agent.call('plans.update', { id: plan.id, plan: { ...plan, name: 'Hacked' } })).rejects.toMatchObject({
      code: 'PermissionDenied',
    });
    await agent.t.db.plans.put({ ...(await agent.t.db.plans.get(plan.id))!, name: 'Hacked' });
    const status = await agent.sync();
    expect(status.problems.map((p) => p.reason)).toContain('not sent: Only managers can change account plans.');
    await settle(team.manager);
    expect((await team.manager.t.db.plans.get(plan.id))?.name).toBe('Locked in');
  });
});

describe('exactly once across computers', () => {
  let team: Team;
  let agent: Computer;
  let lead: { id: LeadId };
  let fifty: { id: PlanId };

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
    await noCap(team.manager, agent);
    lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Fay', email: 'fay@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    const steps = Array.from({ length: 50 }, (_, i) => ({
      id: `e${i}`,
      kind: 'email',
      subject: `Note ${i + 1}`,
      body: 'Hi',
      timing: { kind: 'after', amount: i, unit: 'minutes' },
    }));
    fifty = await team.manager.call('plans.create', {
      name: 'Fifty',
      scope: { kind: 'account' },
      status: 'ready',
      type: 'fullyAutomated',
      steps: steps as never,
    });
    await settle(team.manager, agent);
  }, 60_000);
  afterAll(() => team?.close());

  it('50 due emails on a lead both computers hold are sent exactly 50 times, by the computer that runs the enrollment', async () => {
    await agent.call('enrollments.enroll', { leadId: lead.id, planId: fifty.id });
    await settle(agent, team.manager);
    for (let round = 0; round < 30 && sentTo('fay@example.com').length < 50; round++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(10 * MINUTE);
        await c.t.tick();
        await c.sync();
      }
    }
    await settle(agent, team.manager);
    const mails = sentTo('fay@example.com');
    expect(mails).toHaveLength(50);
    expect(new Set(mails.map((m) => /Subject: (.*)/.exec(m.raw)?.[1])).size).toBe(50);
    expect(mails.every((m) => m.mailFrom === 'alex@example.com')).toBe(true);
    // The manager's computer saw every step, and ran none.
    const [onManager] = await team.manager.call('enrollments.forLead', { leadId: lead.id });
    expect(onManager).toMatchObject({ state: 'completed' });
  });

  it('a reassigned lead’s running plan is handed to the new person’s computer, which sends the rest, once', async () => {
    // A day after the fifty above: the agent's mailbox has its sending allowance again.
    for (const c of [team.manager, agent]) await c.t.advance(DAY);
    const hal = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Hal', email: 'hal@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    const plan = await team.manager.call('plans.create', {
      name: 'Three days',
      scope: { kind: 'account' },
      status: 'ready',
      steps: Array.from({ length: 3 }, (_, i) => ({
        id: `h${i}`,
        kind: 'email',
        subject: `Hal ${i + 1}`,
        body: 'Hi',
        timing: { kind: 'after', amount: i, unit: 'days' },
      })) as never,
    });
    await settle(team.manager, agent);
    await agent.call('enrollments.enroll', { leadId: hal.id, planId: plan.id });
    await settle(agent, team.manager);
    await agent.t.tick();
    expect(sentTo('hal@example.com').map((m) => m.mailFrom)).toEqual(['alex@example.com']);
    await edit(team.manager, hal.id, { assignees: { buyerAgent: team.people.manager.id } });
    await settle(team.manager, agent);
    await settle(team.manager, agent);
    expect(await agent.t.db.leads.get(hal.id)).toBeUndefined();
    for (let day = 0; day < 3; day++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(DAY);
        await c.t.tick();
      }
      await settle(team.manager, agent);
    }
    expect(sentTo('hal@example.com').map((m) => m.mailFrom)).toEqual(['alex@example.com', 'maria@example.com', 'maria@example.com']);
    const lines = (await team.manager.call('leads.history', { leadId: hal.id })).map((h) => h.summary);
    expect(lines).toContain('"Three days" now runs on Maria Manager’s computer (the lead was reassigned)');
  });

  it('a step sent on the old person’s computer before the reassignment reached it is handed over with it, never sent again', async () => {
    for (const c of [team.manager, agent]) await c.t.advance(DAY);
    const ivy = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Ivy', email: 'ivy@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    const plan = await team.manager.call('plans.create', {
      name: 'Two days',
      scope: { kind: 'account' },
      status: 'ready',
      steps: Array.from({ length: 2 }, (_, i) => ({
        id: `i${i}`,
        kind: 'email',
        subject: `Ivy ${i + 1}`,
        body: 'Hi',
        timing: { kind: 'after', amount: i, unit: 'days' },
      })) as never,
    });
    await settle(team.manager, agent);
    await agent.call('enrollments.enroll', { leadId: ivy.id, planId: plan.id });
    await settle(agent, team.manager);
    // The agent's laptop sends the first email with no network; meanwhile the manager reassigns the
    // lead, and the server passes that to the agent's database before the laptop is back.
    agent.net.offline = true;
    await agent.t.tick();
    expect(sentTo('ivy@example.com').map((m) => m.mailFrom)).toEqual(['alex@example.com']);
    await edit(team.manager, ivy.id, { assignees: { buyerAgent: team.people.manager.id } });
    await team.manager.sync();
    await new Promise((r) => setTimeout(r, 1500));
    agent.net.offline = false;
    await settle(agent, team.manager);
    await settle(agent, team.manager);
    expect((await agent.sync()).problems).toEqual([]);
    expect(await agent.t.db.leads.get(ivy.id)).toBeUndefined();
    for (let day = 0; day < 2; day++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(DAY);
        await c.t.tick();
      }
      await settle(team.manager, agent);
    }
    expect(sentTo('ivy@example.com').map((m) => m.mailFrom)).toEqual(['alex@example.com', 'maria@example.com']);
    const [onManager] = await team.manager.call('enrollments.forLead', { leadId: ivy.id });
    expect(onManager).toMatchObject({ state: 'completed', runner: 'here' });
  });

  it('a computer that was offline for a week sends nothing another one already sent', async () => {
    const before = smtp.received.length;
    const other = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Gus', email: 'gus@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    const weekly = await team.manager.call('plans.create', {
      name: 'Daily',
      scope: { kind: 'account' },
      status: 'ready',
      steps: Array.from({ length: 7 }, (_, i) => ({
        id: `d${i}`,
        kind: 'email',
        subject: `Day ${i + 1}`,
        body: 'Hi',
        timing: { kind: 'after', amount: i, unit: 'days' },
      })) as never,
    });
    // The manager's computer runs this one.
    await team.manager.call('enrollments.enroll', { leadId: other.id, planId: weekly.id });
    await settle(team.manager, agent);
    agent.net.offline = true;
    for (let day = 0; day < 8; day++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(DAY);
        await c.t.tick();
      }
      await team.manager.sync();
    }
    expect(sentTo('gus@example.com')).toHaveLength(7);
    agent.net.offline = false;
    await settle(agent, team.manager);
    await agent.t.tick();
    await agent.t.advance(DAY);
    expect(sentTo('gus@example.com')).toHaveLength(7);
    expect(
      smtp.received
        .slice(before)
        .filter((m) => m.rcptTo[0] !== 'gus@example.com')
        .map((m) => `${m.mailFrom} ${/Subject: (.*)/.exec(m.raw)?.[1]}`),
    ).toEqual([]);
    expect((await agent.call('leads.history', { leadId: other.id })).filter((h) => h.kind === 'sent')).toHaveLength(7);
  });

  it('the computer that runs an enrollment keeps sending while it is offline; the others never do', async () => {
    const zed = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Zed', email: 'zed@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    const plan = await team.manager.call('plans.create', {
      name: 'Three days',
      scope: { kind: 'account' },
      status: 'ready',
      steps: Array.from({ length: 3 }, (_, i) => ({
        id: `z${i}`,
        kind: 'email',
        subject: `Zed ${i + 1}`,
        body: 'Hi',
        timing: { kind: 'after', amount: i, unit: 'days' },
      })) as never,
    });
    await settle(team.manager, agent);
    await agent.call('enrollments.enroll', { leadId: zed.id, planId: plan.id });
    await settle(agent, team.manager);
    agent.net.offline = true;
    for (let day = 0; day < 4; day++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(DAY);
        await c.t.tick();
      }
      await team.manager.sync();
      await agent.sync();
    }
    expect(sentTo('zed@example.com')).toHaveLength(3);
    expect((await agent.call('sync.status', {})).state).toBe('offline');
    agent.net.offline = false;
    await settle(agent, team.manager);
    await team.manager.t.tick();
    expect(sentTo('zed@example.com')).toHaveLength(3);
    expect((await team.manager.call('leads.history', { leadId: zed.id })).filter((h) => h.kind === 'sent')).toHaveLength(3);
  });
});

describe('the 50/day manual-assignment cap counts across all the team’s computers', () => {
  let team: Team;
  let agent: Computer;
  let lender: Computer;
  let plan: { id: PlanId };
  const leadsOf = async (who: 'agent' | 'lender', n: number) => {
    const out: { id: LeadId }[] = [];
    for (let i = 0; i < n; i++) {
      const role = who === 'agent' ? 'buyerAgent' : 'lender';
      out.push(
        await team.manager.call('leads.create', {
          ...aLead({ firstName: `${who}${i}`, email: `${who}${i}@example.com` }),
          assignees: { [role]: team.people[who].id },
        }),
      );
    }
    return out;
  };

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    [agent, lender] = [await team.join('agent'), await team.join('lender')];
    await noCap(team.manager, agent, lender);
    plan = await team.manager.call('plans.create', {
      name: 'Welcome',
      scope: { kind: 'account' },
      status: 'ready',
      type: 'fullyAutomated',
      steps: [{ id: 'hi', kind: 'email', subject: 'Welcome', body: 'Hi', timing: { kind: 'immediate' } }] as never,
    });
  }, 60_000);
  afterAll(() => team?.close());

  it('two offline computers spend the same quota: the one that syncs second gets what is left, in the order it assigned, and the rest is refused in words', async () => {
    const [mine, theirs] = [await leadsOf('agent', 30), await leadsOf('lender', 30)];
    await settle(team.manager, agent, lender);
    agent.net.offline = lender.net.offline = true;
    for (const l of mine) await agent.call('enrollments.enroll', { leadId: l.id, planId: plan.id });
    for (const l of theirs) await lender.call('enrollments.enroll', { leadId: l.id, planId: plan.id });
    // Each computer alone is within the cap; neither runs a held assignment before the server counts it.
    expect((await lender.call('team.rights', {})).quota).toMatchObject({ used: 30, remaining: 20 });
    expect((await lender.call('enrollments.forLead', { leadId: theirs[0]!.id }))[0]?.runsOn).toBe(
      'Starts when the team’s daily assignment count is taken on the next sync',
    );
    for (const c of [agent, lender]) await c.t.tick();
    expect(smtp.received.filter((m) => /^(agent|lender)\d+@/.test(m.rcptTo[0] ?? ''))).toHaveLength(0);

    agent.net.offline = false;
    await settle(agent);
    await agent.t.tick();
    lender.net.offline = false;
    const status = await lender.sync();
    await settle(team.manager, agent, lender);
    for (let i = 0; i < 6; i++) {
      for (const c of [agent, lender]) {
        await c.t.advance(10 * MINUTE);
        await c.t.tick();
      }
    }

    expect(sentTo('agent0@example.com')).toHaveLength(1);
    expect(smtp.received.filter((m) => /^agent\d+@/.test(m.rcptTo[0] ?? ''))).toHaveLength(30);
    // The lender's first 20 assignments fit in what the agent left; the last 10 are refused and send nothing.
    const lenderMail = smtp.received.filter((m) => /^lender\d+@/.test(m.rcptTo[0] ?? '')).map((m) => m.rcptTo[0]);
    expect(new Set(lenderMail)).toEqual(new Set(theirs.slice(0, 20).map((_, i) => `lender${i}@example.com`)));
    const refusal = status.problems.find((p) => p.docId === 'capDay')?.reason ?? '';
    expect(refusal).toMatch(
      /^Not assigned: the team's 50 manual assignments to fully automated plans for .* were used on other computers while this one was offline \(1 needed, none left\)/,
    );
    const [stopped] = await lender.call('enrollments.forLead', { leadId: theirs[29]!.id });
    expect(stopped).toMatchObject({ state: 'stopped' });
    expect((await lender.call('enrollments.forLead', { leadId: theirs[19]!.id }))[0]).toMatchObject({ state: 'completed' });
    const line = (await lender.call('leads.history', { leadId: theirs[29]!.id })).find((h) => h.kind === 'failed');
    expect(line?.summary).toContain('"Welcome": Not assigned: the team');
    // Every computer now knows the day's count is the server's: 50, never 60.
    for (const c of [team.manager, agent, lender]) expect((await c.call('team.rights', {})).quota.used).toBe(50);
    const counter = await fetch(
      `${couch.url}/${teamDatabases(team.teamId).team}/capDay%3A${(await lender.call('team.rights', {})).quota.day}`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${couch.admin.user}:${couch.admin.password}`).toString('base64')}` },
      },
    ).then((r) => r.json() as Promise<{ row: { count: number } }>);
    expect(counter.row.count).toBe(50);
  });

  it('the server itself refuses a counter over the cap, whatever a client sends', async () => {
    const day = (await agent.call('team.rights', {})).quota.day;
    const path = `${teamDatabases(team.teamId).team}/capDay%3A${day}`;
    const current = (await (await asUser(team, 'Alex', path)).json()) as { _rev: string; row: { count: number } };
    const res = await asUser(team, 'Alex', path, {
      method: 'PUT',
      body: JSON.stringify({ ...current, row: { ...current.row, count: current.row.count + 1 } }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { reason: string }).reason).toBe(
      'The team may make only 50 manual assignments to fully automated plans a day.',
    );
  });
});

describe('work that crosses computers: plan edits and reviews', () => {
  let team: Team;
  let agent: Computer;

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
    await noCap(team.manager, agent);
  }, 60_000);
  afterAll(() => team?.close());

  const steps = [
    note('s1', 'First', { kind: 'immediate' }),
    note('s2', 'Second', { kind: 'after', amount: 1, unit: 'days' }),
    note('s3', 'Third', { kind: 'after', amount: 2, unit: 'days' }),
    note('s4', 'Fourth', { kind: 'after', amount: 3, unit: 'days' }),
  ].map((step, i) => ({ ...step, name: `Step ${i + 1}` }));

  it('a plan edited on the manager’s computer realigns the agent’s enrollments there, and each deleted step is recorded once with who deleted it', async () => {
    const plan = await team.manager.call('plans.create', {
      name: 'Touches',
      scope: { kind: 'account' },
      status: 'ready',
      steps: steps,
    });
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Ivy', email: 'ivy@example.com' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    await settle(team.manager, agent);
    await agent.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await settle(agent, team.manager);
    await agent.t.tick();
    const { id: _id, createdAt: _c, updatedAt: _u, ...input } = await team.manager.call('plans.get', { id: plan.id });
    await team.manager.call('plans.update', { id: plan.id, plan: { ...input, steps: [steps[0], steps[3]] as never } });
    await settle(team.manager, agent);
    await settle(team.manager, agent);
    expect((await team.manager.call('enrollments.forLead', { leadId: lead.id }))[0]?.runsOn).toBe('Runs on Alex Agent’s laptop');
    for (let day = 0; day < 4; day++) {
      for (const c of [team.manager, agent]) {
        await c.t.advance(DAY);
        await c.t.tick();
      }
      await settle(agent, team.manager);
    }
    const lines = (await agent.call('leads.history', { leadId: lead.id })).map((h) => h.summary);
    expect(lines.filter((l) => l.startsWith('Skipped "Step 2" of "Touches": deleted from the plan by Maria Manager'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('Skipped "Step 3" of "Touches": deleted from the plan by Maria Manager'))).toHaveLength(1);
    // The manager's computer holds the same history (it arrived), and wrote no second copy of those lines.
    const there = (await team.manager.call('leads.history', { leadId: lead.id })).map((h) => h.summary);
    expect(there.filter((l) => l.startsWith('Skipped "Step 2"'))).toHaveLength(1);
    expect(there.filter((l) => /^Note added: Fourth|Fourth/.test(l)).length).toBeGreaterThan(0);
    const [e] = await agent.call('enrollments.forLead', { leadId: lead.id });
    expect(e).toMatchObject({ state: 'completed' });
  });

  async function reviewed(firstName: string) {
    const plan = await team.manager.call('plans.create', {
      name: `Calls for ${firstName}`,
      scope: { kind: 'account' },
      status: 'ready',
      type: 'traditional',
      steps: [{ id: 'm1', kind: 'email', subject: `Hello ${firstName}`, body: 'Hi', timing: { kind: 'immediate' } }] as never,
    });
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName, email: `${firstName.toLowerCase()}@example.com` }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    // The manager's computer runs this enrollment: the message waits there, the agent reviews it.
    await team.manager.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await team.manager.t.tick();
    await settle(team.manager, agent);
    const task = (await agent.t.db.tasks.toArray()).find((t) => t.leadId === lead.id && t.status === 'open');
    expect(task?.assigneeId).toBe(team.people.agent.id);
    return { lead, task: task! };
  }

  it('a message approved on the agent’s computer is sent once, by the computer that holds it', async () => {
    const { lead, task } = await reviewed('Jude');
    await agent.call('tasks.sendNow', { id: task.id });
    await settle(agent, team.manager);
    for (const c of [team.manager, agent]) await c.t.tick();
    await settle(agent, team.manager);
    await team.manager.t.tick();
    expect(sentTo('jude@example.com')).toHaveLength(1);
    expect(sentTo('jude@example.com')[0]!.mailFrom).toBe('maria@example.com');
    const lines = (await agent.call('leads.history', { leadId: lead.id })).map((h) => h.summary).join('\n');
    expect(lines).toMatch(/Approved: .*it goes out from the computer that runs the plan/);
  });

  it('a review task closed on the agent’s computer cancels the waiting message there, recorded', async () => {
    const { lead, task } = await reviewed('Kit');
    await agent.call('tasks.complete', { id: task.id });
    await settle(agent, team.manager);
    for (const c of [team.manager, agent]) {
      await c.t.advance(DAY);
      await c.t.tick();
    }
    expect(sentTo('kit@example.com')).toHaveLength(0);
    await settle(agent, team.manager);
    const lines = (await agent.call('leads.history', { leadId: lead.id })).map((h) => h.summary).join('\n');
    expect(lines).toMatch(/not sent: its review task was closed on another computer/);
  });
});

describe('conflicts: two computers edit the same record while apart', () => {
  let team: Team;
  let agent: Computer;

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
  }, 60_000);
  afterAll(() => team?.close());

  it('lead fields: the later change of each field wins, tags from both stay, and what lost is in the lead’s history', async () => {
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Ivy', email: 'ivy@example.com', phone: '+14155550100' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    await settle(team.manager, agent);
    team.manager.net.offline = true;
    agent.net.offline = true;
    await team.manager.t.advance(MINUTE / 2);
    await edit(team.manager, lead.id, { phone: '+14155550111', tags: ['hot'] });
    await agent.t.advance(MINUTE);
    await edit(agent, lead.id, { phone: '+14155550122', city: 'Austin', tags: ['vip'] });
    team.manager.net.offline = false;
    agent.net.offline = false;
    await settle(team.manager, agent);
    await settle(team.manager, agent);
    for (const c of [team.manager, agent]) {
      const row = (await c.t.db.leads.get(lead.id))!;
      expect(row.phone).toBe('+14155550122');
      expect(row.city).toBe('Austin');
      expect([...row.tags].sort()).toEqual(['hot', 'vip']);
    }
    const lines = (await team.manager.call('leads.history', { leadId: lead.id })).map((h) => h.summary).join('\n');
    expect(lines).toMatch(/phone "\+14155550111" \(Maria Manager\) lost to "\+14155550122"/);
  });

  it('an account plan saved by two managers’ computers: the later save wins, the other is kept as a draft copy', async () => {
    const plan = await team.manager.call('plans.create', {
      name: 'Shared',
      scope: { kind: 'account' },
      status: 'ready',
      steps: [note('a', 'a')],
    });
    const desk = await team.join('manager');
    await settle(team.manager, desk);
    team.manager.net.offline = true;
    desk.net.offline = true;
    await team.manager.call('plans.update', { id: plan.id, plan: { ...plan, name: 'Shared (first)' } });
    await desk.t.advance(MINUTE);
    await desk.call('plans.update', { id: plan.id, plan: { ...plan, name: 'Shared (later)' } });
    team.manager.net.offline = false;
    desk.net.offline = false;
    await settle(team.manager, desk, agent);
    await settle(team.manager, desk, agent);
    expect((await agent.t.db.plans.get(plan.id))?.name).toBe('Shared (later)');
    const copies = (await agent.t.db.plans.toArray()).filter((p) => p.name.startsWith('Shared (first) (conflicting edit by Maria Manager'));
    expect(copies).toHaveLength(1);
    expect(copies[0]!.status).toBe('draft');
  });
});

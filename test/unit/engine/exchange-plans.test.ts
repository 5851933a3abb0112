import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FilePlan, FileStep, PlanFile } from '@shared/exchange/plan-file';
import { planInputSchema } from '@shared/model/plan';
import type { PlanId, UserId } from '@shared/model/ids';
import { planInputFromFile } from '../../../src-renderer/engine/exchange/plan-import';
import type { AppError } from '@shared/rpc/errors';
import { aLead, aPlan, currentUserId, emailStep, startEngine } from './harness';
import type { TestEngine } from './harness';

/** Toggle 1 of the account settings: users may create personal plans (off on a new account). */
async function allowPersonalPlans(t: TestEngine): Promise<void> {
  await t.call('team.settings.set', { personalPlans: true, preferredLender: false, manualAutomated: false });
}

const FIXTURES = join(__dirname, '../../fixtures/exchange');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

async function addUser(t: TestEngine, name: string, role: 'agent' | 'manager' | 'lender' = 'agent'): Promise<UserId> {
  const id = `user-${name.toLowerCase()}` as UserId;
  await t.db.users.add({ id, name, email: `${name.toLowerCase()}@example.com`, role, timeZone: 'America/New_York', createdAt: 0 });
  return id;
}

/** Two chained personal plans of an agent: one uses a saved template, triggers name a tag, a stage and a source. */
async function agentPlans(t: TestEngine, agent: UserId) {
  await t.db.templates.add({ id: 'tpl-1', kind: 'email', name: 'Welcome', subject: 'Welcome {{lead.firstName}}', body: 'Hello!' });
  const second = await t.call(
    'plans.create',
    aPlan(agent, { name: 'Nurture', triggers: { tags: [], stages: ['Nurture'], sources: [] } }),
    agent,
  );
  const first = await t.call(
    'plans.create',
    aPlan(agent, {
      name: 'New buyer',
      nextPlanId: second.id,
      triggers: { tags: ['buyer'], stages: ['New'], sources: ['Zillow'] },
      steps: [
        emailStep({ templateId: 'tpl-1', name: 'Say hello' }),
        emailStep({ timing: { kind: 'after', amount: 3, unit: 'days' } }),
      ] as never,
    }),
    agent,
  );
  return { first, second };
}

const content = (text: string) => {
  const { exportedAt: _a, exportedBy: _b, ...rest } = JSON.parse(text) as PlanFile;
  return rest;
};

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the call to fail');
}

describe('plan files', () => {
  it('export → import on another machine → export gives the same file content', async () => {
    const a = await startEngine();
    await allowPersonalPlans(a);
    const agent = await addUser(a, 'Dana');
    const { first } = await agentPlans(a, agent);
    const exported = await a.call('exchange.plans.export', { planIds: [first.id] }, agent);
    expect(exported.fileName).toMatch(/\.plan\.json$/);
    const file = JSON.parse(exported.text) as PlanFile;
    // The chained plan comes along, and nothing refers to a database id.
    expect(file.plans.map((p) => p.name)).toEqual(['New buyer', 'Nurture']);
    expect(exported.text).not.toContain(first.id);
    expect(file.templates).toEqual([{ name: 'Welcome', kind: 'email', subject: 'Welcome {{lead.firstName}}', body: 'Hello!' }]);

    const b = await startEngine();
    await allowPersonalPlans(b);
    const dana = await addUser(b, 'Dana');
    const result = await b.call('exchange.plans.import', { text: exported.text, as: 'personal' }, dana);
    expect(result.imported.map((p) => p.name).sort()).toEqual(['New buyer', 'Nurture']);
    const again = await b.call('exchange.plans.export', {}, dana);
    expect(content(again.text)).toEqual(content(exported.text));
  });

  it('imported steps get new ids and the chain points at the imported plan, not the original', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const result = await t.call('exchange.plans.import', {
      text,
      as: 'account',
      mapping: {},
    });
    const imported = await Promise.all(result.imported.map((p) => t.call('plans.get', { id: p.id })));
    const buyer = imported.find((p) => p.name === 'New buyer')!;
    const nurture = imported.find((p) => p.name === 'Nurture')!;
    expect(buyer.scope).toEqual({ kind: 'account' });
    expect(buyer.nextPlanId).toBe(nurture.id);
    expect(buyer.steps.map((s) => s.id)).not.toEqual(first.steps.map((s) => s.id));
    expect(new Set(buyer.steps.map((s) => s.id)).size).toBe(2);
    // The same template content is reused rather than copied.
    expect(buyer.steps[0]).toMatchObject({ templateId: 'tpl-1', name: 'Say hello' });
    expect(await t.db.templates.count()).toBe(1);
  });

  it('a manager turns an agent’s personal plan into a locked account plan that runs for a lead', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const manager = await currentUserId(t);
    const { imported } = await t.call('exchange.plans.import', { text, as: 'account', locked: true }, manager);
    const plan = await t.call('plans.get', { id: imported.find((p) => p.name === 'New buyer')!.id });
    expect(plan).toMatchObject({ scope: { kind: 'account' }, locked: true, createdBy: manager });
    // Stage "Qualified" fires no plan trigger: the lead is enrolled by hand.
    const lead = await t.call('leads.create', aLead({ stage: 'Qualified' }));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    expect(t.host.sent.map((s) => s.message.subject)).toEqual(['Hello Ann']);
  });

  it('an agent cannot import as an account-level plan', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const err = await rejection(t.call('exchange.plans.import', { text, as: 'account' }, agent));
    expect(err.code).toBe('PermissionDenied');
    expect((await t.call('exchange.plans.preview', { text, as: 'personal' }, agent)).canImportAsAccount).toBe(false);
  });

  it('the preview lists name conflicts, new tags/stages/sources and user matches before anything is written', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const preview = await t.call('exchange.plans.preview', { text, as: 'personal' }, agent);
    expect(preview.plans.map((p) => [p.name, p.conflict !== null])).toEqual([
      ['New buyer', true],
      ['Nurture', true],
    ]);
    expect(preview.tags).toEqual([{ name: 'buyer', exists: true }]);
    const fresh = await startEngine();
    await allowPersonalPlans(fresh);
    const p2 = await fresh.call('exchange.plans.preview', { text, as: 'account' });
    expect(p2.plans.every((p) => p.conflict === null)).toBe(true);
    expect(p2.tags).toEqual([{ name: 'buyer', exists: false }]);
    expect(p2.stages).toEqual([
      { name: 'New', exists: true },
      { name: 'Nurture', exists: false },
    ]);
    expect(await fresh.db.plans.count()).toBe(0);
  });

  it('a name conflict needs a decision; rename, skip and replace each do what they say', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first, second } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const before = await t.db.plans.count();

    const undecided = await rejection(t.call('exchange.plans.import', { text, as: 'personal' }, agent));
    expect(undecided.code).toBe('ValidationFailed');
    expect(undecided.message).toContain('A plan named "New buyer" already exists');
    expect(await t.db.plans.count()).toBe(before);

    const result = await t.call(
      'exchange.plans.import',
      {
        text,
        as: 'personal',
        mapping: { conflicts: { 'plan-1': { action: 'rename', name: 'New buyer (team)' }, 'plan-2': { action: 'skip' } } },
      },
      agent,
    );
    expect(result).toMatchObject({ imported: [{ name: 'New buyer (team)' }], skipped: 1 });
    // The skipped plan's existing namesake takes its place in the chain.
    expect((await t.call('plans.get', { id: result.imported[0]!.id }, agent)).nextPlanId).toBe(second.id);

    const replaced = await t.call(
      'exchange.plans.import',
      { text, as: 'personal', mapping: { conflicts: { 'plan-1': { action: 'replace' }, 'plan-2': { action: 'replace' } } } },
      agent,
    );
    expect(replaced.replaced).toBe(2);
    expect(replaced.imported.map((p) => p.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('replacing a plan with enrolled leads is refused and changes nothing', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const lead = await t.call('leads.create', aLead({ stage: 'Qualified', assignees: { buyerAgent: agent } }));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: first.id }, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const err = await rejection(
      t.call(
        'exchange.plans.import',
        { text, as: 'personal', mapping: { conflicts: { 'plan-1': { action: 'replace' }, 'plan-2': { action: 'skip' } } } },
        agent,
      ),
    );
    expect(err.code).toBe('Conflict');
    expect(err.message).toContain('1 enrolled lead');
    expect((await t.call('plans.get', { id: first.id }, agent)).updatedAt).toBe(first.updatedAt);
  });

  it('tags, stages and sources are mapped to existing ones or created as named', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const agent = await addUser(t, 'Dana');
    const { first } = await agentPlans(t, agent);
    const { text } = await t.call('exchange.plans.export', { planIds: [first.id] }, agent);
    const fresh = await startEngine();
    await allowPersonalPlans(fresh);
    const { imported } = await fresh.call('exchange.plans.import', {
      text,
      as: 'account',
      mapping: { tags: { buyer: 'Buyer' }, stages: { Nurture: 'Long term' }, sources: { Zillow: 'Zillow.com' } },
    });
    const plans = await Promise.all(imported.map((p) => fresh.call('plans.get', { id: p.id })));
    expect(plans.find((p) => p.name === 'New buyer')!.triggers).toEqual({ tags: ['Buyer'], stages: ['New'], sources: ['Zillow.com'] });
    expect(plans.find((p) => p.name === 'Nurture')!.triggers.stages).toEqual(['Long term']);
  });
});

describe('file references become references here', () => {
  it('assign/pause-plan steps and the next plan point at the imported plans; users and templates by name', () => {
    const step = (patch: Record<string, unknown> & { kind: FileStep['kind'] }): FileStep => ({
      name: '',
      notifyMe: false,
      timing: { kind: 'immediate' },
      ...patch,
    });
    const filePlan: FilePlan = {
      key: 'plan-1',
      name: 'Chain',
      scope: 'personal',
      type: 'fullyAutomated',
      category: 'connection',
      status: 'draft',
      locked: false,
      nextPlan: 'plan-2',
      triggers: { tags: ['hot'], stages: [], sources: [] },
      pauseOnReply: true,
      misfire: { policy: 'sendLate', graceHours: 24 },
      allowRestart: true,
      steps: [
        step({ kind: 'assignPlan', plan: 'plan-2' }),
        step({ kind: 'pausePlan', plan: 'plan-1' }),
        step({ kind: 'assignUser', role: 'lender', user: 'Lee Lender' }),
        step({ kind: 'email', subject: 's', body: 'b', template: 'Welcome', review: { mode: 'none' } }),
        step({ kind: 'addTags', tags: ['hot', 'new'] }),
      ],
    };
    let n = 0;
    const input = planInputFromFile(filePlan, {
      name: 'Chain',
      scope: { kind: 'account' },
      locked: true,
      planIdOf: (key) => ({ 'plan-1': 'P1', 'plan-2': 'P2' })[key] as PlanId | undefined,
      userIdOf: (name) => (name === 'Lee Lender' ? ('U9' as UserId) : undefined),
      templateIdOf: (name) => (name === 'Welcome' ? 'T1' : undefined),
      mapping: { tags: { hot: 'Hot lead' }, stages: {}, sources: {} },
      newStepId: () => `s${++n}`,
    });
    const plan = planInputSchema.parse(input);
    expect(plan.nextPlanId).toBe('P2');
    expect(plan.locked).toBe(true);
    expect(plan.triggers.tags).toEqual(['Hot lead']);
    expect(plan.steps.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(plan.steps[0]).toMatchObject({ kind: 'assignPlan', planId: 'P2' });
    expect(plan.steps[1]).toMatchObject({ kind: 'pausePlan', planId: 'P1' });
    expect(plan.steps[2]).toMatchObject({ kind: 'assignUser', userId: 'U9', role: 'lender' });
    expect(plan.steps[3]).toMatchObject({ kind: 'email', templateId: 'T1' });
    expect(plan.steps[4]).toMatchObject({ kind: 'addTags', tags: ['Hot lead', 'new'] });
    expect(JSON.stringify(plan)).not.toMatch(/"(plan|user|template)":/);
  });
});

describe('saved CSV mappings', () => {
  it('a mapping saved under a name is listed, and saving the same name again replaces it', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    await t.call('exchange.csvMappings.save', { name: 'Zillow', columns: { 'First Name': 'firstName', 'E-mail': 'email' } });
    await t.call('exchange.csvMappings.save', { name: 'Realtor.com', columns: { Name: 'firstName' } });
    await t.call('exchange.csvMappings.save', { name: 'Zillow', columns: { First: 'firstName' } });
    expect(await t.call('exchange.csvMappings.list', {})).toEqual([
      { name: 'Realtor.com', columns: { Name: 'firstName' } },
      { name: 'Zillow', columns: { First: 'firstName' } },
    ]);
  });
});

describe('review document', () => {
  it('shows every step with its timing in words, and plan text can never become markup', async () => {
    const t = await startEngine();
    await allowPersonalPlans(t);
    await allowPersonalPlans(t);
    const me = await currentUserId(t);
    const plan = await t.call(
      'plans.create',
      aPlan(me, {
        name: 'Buyers <script>alert(1)</script>',
        steps: [
          emailStep({ subject: '"><img src=x onerror=alert(1)>', body: 'Line one\n<b>bold?</b>' }),
          emailStep({ timing: { kind: 'onDay', day: 3, time: '09:30', businessDaysOnly: true } }),
        ] as never,
      }),
    );
    const { text, fileName } = await t.call('exchange.plans.review', { planIds: [plan.id] });
    expect(fileName).toBe('buyers-script-alert-1-script-review.html');
    expect(text).not.toMatch(/<script|<img|<b>/);
    expect(text).toContain('Buyers &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(text).toContain('Immediately when the lead is enrolled');
    expect(text).toContain('On day 3 at 09:30 in the lead’s time zone (business days only)');
    expect(text).toContain("default-src 'none'");
  });
});

describe('bad plan files are refused with a clear message and change nothing', () => {
  const cases: [string, () => string, RegExp][] = [
    ['an empty file', () => fixture('empty.plan.json'), /The file is empty/],
    ['a truncated file', () => fixture('truncated.plan.json'), /not a complete plan file \(it may be cut short\)/],
    ['a file of another kind', () => fixture('not-a-plan.json'), /not an Action Plans plan file/],
    ['a file of an unknown version', () => fixture('version-99.plan.json'), /version 99; this app reads version 1/],
    ['a file whose plan has no name', () => fixture('nameless.plan.json'), /plan file is damaged: plans\.0\.name/],
    ['a file whose step is not valid', () => fixture('bad-step.plan.json'), /Plan "Broken": .*Webhook URL must start with http/],
    ['a 50 MB file', () => `{"format":"action-plans/plan-file","pad":"${'x'.repeat(50 * 1024 * 1024)}"}`, /too large for a plan file/],
  ];
  for (const [what, text, message] of cases) {
    it(what, async () => {
      const t = await startEngine();
      await allowPersonalPlans(t);
      await allowPersonalPlans(t);
      await allowPersonalPlans(t);
      const plan = await t.call('plans.create', aPlan(await currentUserId(t)));
      const err = await rejection(t.call('exchange.plans.import', { text: text(), as: 'account' }));
      expect(err.code).toBe('ValidationFailed');
      expect(err.message).toMatch(message);
      expect(await t.db.plans.toArray()).toEqual([plan]);
    });
  }
});

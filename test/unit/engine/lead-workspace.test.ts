import { describe, expect, it } from 'vitest';
import type { LeadFilterInput } from '@shared/contract/lead-workspace';
import type { LeadId } from '@shared/model/ids';
import { seedLeads } from '../../../src-renderer/engine/leads/seed';
import { aLead, aPlan, currentUserId, DAY, startEngine } from './harness';

const noFilter = { search: '', stages: [], tags: [], sources: [], assignees: [], plans: [], states: [] };
const filter = (f: LeadFilterInput = {}) => ({ ...noFilter, ...f });

async function seeded(count = 600) {
  const t = await startEngine();
  await seedLeads(t.engine.deps, count, 7);
  const all = await t.db.leads.toArray();
  return { t, all };
}

describe('leads workspace: paged queries through indexes', () => {
  it('pages cover every lead exactly once, in the chosen column order', async () => {
    const { t, all } = await seeded();
    const seen: string[] = [];
    for (let offset = 0; offset < all.length; offset += 100) {
      const page = await t.call('leads.query', { ...noFilter, sort: 'name', dir: 'asc', offset, limit: 100 });
      expect(page.total).toBe(all.length);
      seen.push(...page.rows.map((r) => `${r.firstName} ${r.lastName}`.toLowerCase()));
    }
    expect(seen).toHaveLength(all.length);
    expect(seen).toEqual([...seen].sort());
  });

  it('descending order reverses the column; leads without a value stay at the end', async () => {
    const { t, all } = await seeded(300);
    const withEmail = all.filter((l) => l.email).length;
    const page = await t.call('leads.query', { ...noFilter, sort: 'email', dir: 'desc', offset: 0, limit: 500 });
    const emails = page.rows.map((r) => r.email);
    expect(emails.slice(0, withEmail)).toEqual(
      all
        .map((l) => l.email)
        .filter(Boolean)
        .sort()
        .reverse(),
    );
    expect(emails.slice(withEmail).every((e) => e === undefined)).toBe(true);
  });

  it('a stage and tag filter returns only matching leads, with the right total and page', async () => {
    const { t, all } = await seeded();
    const expected = all.filter((l) => (l.stage === 'New' || l.stage === 'Closed') && l.tags.includes('buyer'));
    const page = await t.call('leads.query', {
      ...filter({ stages: ['New', 'Closed'], tags: ['buyer'] }),
      sort: 'createdAt',
      dir: 'desc',
      offset: 0,
      limit: 500,
    });
    expect(page.total).toBe(expected.length);
    expect(page.rows.map((r) => r.id).sort()).toEqual(expected.map((l) => l.id).sort());
    expect(page.rows.map((r) => r.createdAt)).toEqual([...page.rows.map((r) => r.createdAt)].sort((a, b) => b - a));
    const second = await t.call('leads.query', {
      ...filter({ stages: ['New', 'Closed'], tags: ['buyer'] }),
      sort: 'createdAt',
      dir: 'desc',
      offset: 5,
      limit: 5,
    });
    expect(second.rows.map((r) => r.id)).toEqual(page.rows.slice(5, 10).map((r) => r.id));
  });

  it('search finds leads by a name prefix, an email, or the digits of a phone number', async () => {
    const t = await startEngine();
    await t.call('leads.create', aLead({ firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', phone: '+14155550123' }));
    await t.call('leads.create', aLead({ firstName: 'Annabel', lastName: 'Park', email: 'bel@example.com', phone: '+12125550199' }));
    await t.call('leads.create', aLead({ firstName: 'Bob', lastName: 'Stone', email: 'bob@example.com', phone: '' }));
    const names = async (search: string) =>
      (await t.call('leads.query', { ...filter({ search }), sort: 'name', dir: 'asc', offset: 0, limit: 50 })).rows.map((r) => r.firstName);
    expect(await names('ann')).toEqual(['Ann', 'Annabel']);
    expect(await names('ann lee')).toEqual(['Ann']);
    expect(await names('bel@')).toEqual(['Annabel']);
    expect(await names('(415) 555')).toEqual(['Ann']);
    expect(await names('zz')).toEqual([]);
  });

  it('facet counts are counted among the leads matching the other filters', async () => {
    const { t, all } = await seeded();
    const facets = await t.call('leads.facets', filter({ stages: ['New'] }));
    // The stage facet ignores its own selection (so other stages can be added)...
    const closed = facets.stages.find((f) => f.value === 'Closed')!;
    expect(closed.count).toBe(all.filter((l) => l.stage === 'Closed').length);
    // ...while other facets count within stage New.
    const buyer = facets.tags.find((f) => f.value === 'buyer')!;
    expect(buyer.count).toBe(all.filter((l) => l.stage === 'New' && l.tags.includes('buyer')).length);
    const never = facets.states.find((f) => f.value === 'none')!;
    expect(never).toMatchObject({ label: 'Never enrolled', count: all.filter((l) => l.stage === 'New').length });
  });

  it('enrolling keeps the lead row’s active plans, next step due and plan facet current', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const lead = await t.call('leads.create', aLead());
    const plan = await t.call('plans.create', aPlan(owner));
    const enrollment = await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await t.tick();
    const row = (await t.call('leads.query', { ...filter({ plans: [plan.id] }), sort: 'nextDueAt', dir: 'asc', offset: 0, limit: 10 }))
      .rows[0];
    expect(row).toMatchObject({ id: lead.id, activePlanCount: 1, planIds: [plan.id] });
    expect(row?.nextDueAt).toBe(enrollment.startedAt + 2 * DAY);
    await t.call('enrollments.apply', { id: enrollment.id, action: 'stop' });
    const facets = await t.call('leads.facets', filter());
    expect(facets.states.map((s) => [s.label, s.count])).toEqual([['Stopped', 1]]);
    expect((await t.call('leads.query', { ...filter({ plans: [plan.id] }), sort: 'name', dir: 'asc', offset: 0, limit: 10 })).total).toBe(
      0,
    );
  });

  it('a bulk stage change and tag edit apply to every matching lead and are written to their history', async () => {
    const { t, all } = await seeded(200);
    const newOnes = all.filter((l) => l.stage === 'New');
    const res = await t.call('leads.bulk', {
      target: { filter: filter({ stages: ['New'] }) },
      action: { kind: 'setStage', stage: 'Contacted' },
    });
    expect(res.changed).toBe(newOnes.length);
    expect((await t.call('leads.facets', filter())).stages.find((s) => s.value === 'New')).toBeUndefined();
    const first = newOnes[0]!.id;
    await t.call('leads.bulk', { target: { ids: [first] }, action: { kind: 'addTags', tags: ['hot-list'] } });
    expect((await t.call('leads.get', { id: first })).tags).toContain('hot-list');
    const history = await t.call('leads.history', { leadId: first });
    expect(history.map((h) => h.summary)).toEqual(expect.arrayContaining(['Stage changed from New to Contacted', 'Tags added: hot-list']));
  });

  it('a tag edit reports only the fields it changed, so cached name orders and stage counts stay warm', async () => {
    const { t, all } = await seeded(20);
    const changes: (string[] | 'all')[] = [];
    t.db.leadChanges.listen((c) => changes.push(c === 'all' ? 'all' : [...c].sort()));
    await t.call('leads.bulk', { target: { ids: [all[0]!.id] }, action: { kind: 'addTags', tags: ['x'] } });
    expect(changes).toEqual([['lastActivityAt', 'tags', 'updatedAt']]);
  });

  it('deleted leads disappear from the table and come back on undo', async () => {
    const { t, all } = await seeded(50);
    const ids = all.slice(0, 3).map((l) => l.id);
    const { batchId, changed } = await t.call('leads.bulk', { target: { ids }, action: { kind: 'delete' } });
    expect(changed).toBe(3);
    expect((await t.call('leads.query', { ...noFilter, sort: 'name', dir: 'asc', offset: 0, limit: 100 })).total).toBe(47);
    await expect(t.call('leads.get', { id: ids[0] as LeadId })).rejects.toMatchObject({ code: 'NotFound' });
    expect(await t.call('leads.restore', { batchId: batchId! })).toEqual({ restored: 3 });
    expect((await t.call('leads.query', { ...noFilter, sort: 'name', dir: 'asc', offset: 0, limit: 100 })).total).toBe(50);
  });

  it('assigning a lender by bulk action shows in the assignee facet by name, counted once per lead', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const lead = await t.call('leads.create', aLead());
    await t.call('leads.bulk', { target: { ids: [lead.id] }, action: { kind: 'assign', role: 'lender', userId: owner } });
    expect((await t.call('leads.facets', filter())).assignees).toEqual([{ value: owner, label: 'Me', count: 1 }]);
  });

  it('a note is added to the lead’s history with its text', async () => {
    const t = await startEngine();
    const lead = await t.call('leads.create', aLead());
    await t.call('leads.addNote', { leadId: lead.id, text: 'Prefers texts after 6pm' });
    const note = (await t.call('leads.history', { leadId: lead.id })).find((h) => h.kind === 'note');
    expect(note).toMatchObject({ summary: 'Note by Me', detail: 'Prefers texts after 6pm' });
    await expect(t.call('leads.addNote', { leadId: lead.id, text: '  ' })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });

  it('table layout and saved views are kept per user', async () => {
    const t = await startEngine();
    expect(await t.call('leads.tablePrefs', {})).toBeNull();
    await t.call('leads.saveTablePrefs', { order: ['email', 'name'], hidden: ['phone'], widths: { email: 220 } });
    expect(await t.call('leads.tablePrefs', {})).toEqual({ order: ['email', 'name'], hidden: ['phone'], widths: { email: 220 } });
    await t.call('leads.saveView', { name: 'Hot buyers', filter: filter({ tags: ['hot'] }), sort: 'name', dir: 'asc' });
    expect((await t.call('leads.views', {})).map((v) => v.name)).toEqual(['Hot buyers']);
    expect(await t.call('leads.deleteView', { name: 'Hot buyers' })).toEqual([]);
  });

  it('generated leads can only be added in test mode', async () => {
    const t = await startEngine();
    await expect(t.call('system.seedLeads', { count: 10 })).rejects.toMatchObject({ code: 'PermissionDenied' });
  });
});

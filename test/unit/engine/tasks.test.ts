import { describe, expect, it } from 'vitest';
import { aLead, DAY, HOUR, startEngine, T0 } from './harness';

describe('tasks', () => {
  it('a task added to a lead shows in today’s list until done, and the history says so', async () => {
    const t = await startEngine();
    const lead = await t.call('leads.create', aLead());
    const task = await t.call('tasks.create', { leadId: lead.id, title: 'Call about the open house', dueAt: T0 + HOUR });
    expect((await t.call('tasks.list', { until: T0 + DAY })).map((x) => x.title)).toEqual(['Call about the open house']);
    await t.call('tasks.complete', { id: task.id });
    expect(await t.call('tasks.list', { until: T0 + DAY })).toEqual([]);
    const history = await t.call('leads.history', { leadId: lead.id });
    expect(history.map((h) => h.summary)).toEqual(
      expect.arrayContaining(['Task added: Call about the open house', 'Task done: Call about the open house']),
    );
  });

  it('a snoozed task leaves today’s list and comes back on the day it was snoozed to', async () => {
    const t = await startEngine();
    const lead = await t.call('leads.create', aLead());
    const task = await t.call('tasks.create', { leadId: lead.id, title: 'Send comps', dueAt: T0 });
    await t.call('tasks.snooze', { id: task.id, until: T0 + 2 * DAY });
    expect(await t.call('tasks.list', { until: T0 + DAY })).toEqual([]);
    expect(await t.call('tasks.list', { until: T0 + 3 * DAY })).toHaveLength(1);
  });
});

/* eslint-disable no-console -- a benchmark prints its figures */
import { it } from 'vitest';
import type { LeadId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { aLead, currentUserId, startEngine, T0 } from '../test/unit/engine/harness';
import { leadSearchWords } from '../src-renderer/engine/store/search-key';
import type { LeadRow } from '../src-renderer/engine/store/db';

// The product target: 100k leads (BENCH_LEADS to change it). The list reads the [lender+createdAt] index, so its cost follows the page.
const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const ms = (start: number) => `${(performance.now() - start).toFixed(1)} ms`;

it(`team rules at ${LEADS.toLocaleString('en-US')} leads`, async () => {
  const t = await startEngine();
  const pm = await currentUserId(t);
  const lenders = await Promise.all([1, 2, 3, 4].map((i) => t.call('team.users.add', { name: `Lender ${i}`, role: 'lender' })));
  const agents = await Promise.all([1, 2, 3].map((i) => t.call('team.users.add', { name: `Agent ${i}`, role: 'agent' })));
  const rows: LeadRow[] = Array.from({ length: LEADS }, (_, i) => {
    const lead: Lead = {
      firstName: `Lead${i}`,
      email: `lead${i}@example.com`,
      phone: undefined,
      timeZone: 'America/New_York',
      lastName: 'Test',
      stage: 'New',
      contactType: 'Lead',
      source: '',
      tags: [],
      eventDates: {},
      id: `lead-${i}` as LeadId,
      assignees: { lender: lenders[i % 4]!.id },
      optOuts: { email: false, sms: false },
      createdAt: T0 + i,
      updatedAt: T0 + i,
      createdBy: pm as UserId,
    };
    return { ...lead, searchWords: leadSearchWords(lead) };
  });
  await t.db.leads.bulkAdd(rows);

  let start = performance.now();
  await t.db.leads.where('assignees.lender').equals(lenders[0]!.id).count();
  console.log(`warm-up count: ${ms(start)}`);
  start = performance.now();
  const page = await t.call('leads.list', { limit: 100 }, lenders[0]!.id);
  console.log(`lender's lead list (first 100 of ${page.total.toLocaleString('en-US')} own leads, via the lender index): ${ms(start)}`);

  start = performance.now();
  await t.call('team.rights', {}, agents[0]!.id);
  console.log(`team.rights (permission table + today's quota): ${ms(start)}`);

  await t.call('routing.rules.create', { name: 'All', isDefault: true, assigneeIds: agents.map((a) => a.id) });
  start = performance.now();
  for (let i = 0; i < 200; i++) await t.call('leads.create', aLead({ firstName: `New${i}` }));
  console.log(
    `routing a new lead (round robin, in the creating transaction): ${((performance.now() - start) / 200).toFixed(2)} ms per lead`,
  );
  t.engine.close();
});

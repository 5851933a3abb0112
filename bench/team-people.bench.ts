import { it } from 'vitest';
import type { LeadId, UserId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { AppError } from '@shared/rpc/errors';
import { currentUserId, startEngine, T0 } from '../test/unit/engine/harness';
import { leadSearchWords } from '../src-renderer/engine/store/search-key';
import type { LeadRow } from '../src-renderer/engine/store/db';

// Editing the team at the product's scale: removing a person counts their leads from the engine's
// lead index (built once, then kept current; not a scan), and reordering rewrites only the rules
// (BENCH_LEADS to change it). The first removal includes building the index.
const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const ms = (start: number) => `${(performance.now() - start).toFixed(1)} ms`;

it(`team editing at ${LEADS.toLocaleString('en-US')} leads`, async () => {
  const t = await startEngine();
  const pm = (await currentUserId(t)) as UserId;
  const agents = await Promise.all([1, 2, 3, 4].map((i) => t.call('team.users.add', { name: `Agent ${i}`, role: 'agent' })));
  const rows: LeadRow[] = Array.from({ length: LEADS }, (_, i) => {
    const lead: Lead = {
      firstName: `Lead${i}`,
      lastName: 'Test',
      email: `lead${i}@example.com`,
      phone: undefined,
      timeZone: 'America/New_York',
      stage: 'New',
      contactType: 'Lead',
      source: '',
      tags: [],
      eventDates: {},
      id: `lead-${i}` as LeadId,
      assignees: { buyerAgent: agents[i % 4]!.id },
      optOuts: { email: false, sms: false },
      createdAt: T0 + i,
      updatedAt: T0 + i,
      createdBy: pm,
    };
    return { ...lead, searchWords: leadSearchWords(lead) };
  });
  await t.db.leads.bulkAdd(rows);

  let start = performance.now();
  const refused = await t.call('team.users.remove', { id: agents[0]!.id }).then(
    () => null,
    (e: unknown) => e,
  );
  const leads = refused instanceof AppError ? refused.details?.leads : 'not refused!';
  console.log(`removing an agent who works ${String(leads)} leads, refused with the count: ${ms(start)}`);

  start = performance.now();
  await t.call('team.users.remove', { id: agents[0]!.id }).catch(() => null);
  console.log(`  the same again (warm): ${ms(start)}`);

  const rules = [];
  for (let i = 0; i < 50; i++) {
    rules.push(
      await t.call('routing.rules.create', { name: `Rule ${i}`, conditions: { sources: [`S${i}`] }, assigneeIds: [agents[1]!.id] }),
    );
  }
  start = performance.now();
  await t.call('routing.rules.reorder', { ids: rules.map((r) => r.id).reverse() });
  console.log(`reordering 50 routing rules: ${ms(start)}`);

  start = performance.now();
  await t.call('team.users.update', { id: agents[2]!.id, fields: { name: 'Agent Three', role: 'manager' } });
  console.log(`changing a person's role: ${ms(start)}`);
  t.engine.close();
});

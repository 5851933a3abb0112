import type { ExchangeEvents, exchangeContract } from '@shared/contract/exchange';
import { csvMappingSchema } from '@shared/exchange/lead-csv';
import type { CsvMapping } from '@shared/exchange/lead-csv';
import type { Plan } from '@shared/model/plan';
import { notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { fileSlug, canSeePlan } from './access';
import { readBackupSettings, setKeepDays } from './auto-backup';
import { createBackup, restoreBackup } from './backup';
import { importLeads } from './leads-import';
import { exportLeadsCsv } from './leads-export';
import { buildPlanFile } from './plan-export';
import { importPlanFile, previewPlanImport } from './plan-import';
import { reviewDocument } from './review';

type Emit = <K extends keyof ExchangeEvents>(name: K, payload: ExchangeEvents[K]) => void;

const MAPPINGS = 'exchange.csvMappings';
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export function createExchangeHandlers(deps: EngineDeps, emit: Emit): AreaHandlers<typeof exchangeContract> {
  const { db, clock } = deps;
  const cancelled = new Set<string>();

  async function mappings(): Promise<CsvMapping[]> {
    const row = await db.settings.get(MAPPINGS);
    const parsed = csvMappingSchema.array().safeParse(row?.value ?? []);
    return parsed.success ? parsed.data : [];
  }

  return {
    async 'exchange.plans.export'({ planIds }, { user }) {
      const file = await buildPlanFile(deps, user, planIds);
      const name = file.plans.length === 1 ? fileSlug(file.plans[0]!.name) : `${file.plans.length}-plans`;
      return { fileName: `${name}-${day(clock.now())}.plan.json`, text: `${JSON.stringify(file, null, 2)}\n` };
    },

    async 'exchange.plans.preview'({ text, as }, { user }) {
      return previewPlanImport(deps, user, text, as);
    },

    async 'exchange.plans.import'(params, { user }) {
      return importPlanFile(deps, user, params);
    },

    async 'exchange.plans.review'({ planIds }, { user }) {
      const plans: Plan[] = [];
      for (const id of planIds) {
        const plan = await db.plans.get(id);
        if (!plan || !canSeePlan(plan, user)) throw notFound('Plan', id);
        plans.push(plan);
      }
      const [allPlans, users] = await Promise.all([db.plans.toArray(), db.users.toArray()]);
      const html = reviewDocument(
        plans,
        {
          plan: (id) => allPlans.find((p) => p.id === id)?.name ?? 'a deleted plan',
          user: (id) => users.find((u) => u.id === id)?.name ?? 'an unknown user',
        },
        { by: user.name, at: new Date(clock.now()).toUTCString() },
      );
      const name = plans.length === 1 ? fileSlug(plans[0]!.name) : `${plans.length}-plans`;
      return { fileName: `${name}-review.html`, text: html };
    },

    async 'exchange.leads.import'(params, { user }) {
      cancelled.delete(params.importId);
      try {
        return await importLeads(deps, user, params, {
          progress: (p) => emit('importProgress', { importId: params.importId, ...p }),
          cancelled: () => cancelled.has(params.importId),
        });
      } finally {
        cancelled.delete(params.importId);
        deps.wake();
      }
    },

    'exchange.leads.cancelImport'({ importId }) {
      cancelled.add(importId);
      return Promise.resolve({ cancelled: true });
    },

    async 'exchange.leads.export'({ search }, { user }) {
      const { text, count } = await exportLeadsCsv(deps, user, search);
      return { fileName: `leads-${day(clock.now())}.csv`, text, count };
    },

    async 'exchange.csvMappings.list'() {
      return mappings();
    },

    async 'exchange.csvMappings.save'(mapping) {
      const next = [...(await mappings()).filter((m) => m.name !== mapping.name), mapping].sort((a, b) => a.name.localeCompare(b.name));
      await db.settings.put({ key: MAPPINGS, value: next });
      return next;
    },

    async 'exchange.backup.create'() {
      return { fileName: `action-plans-backup-${day(clock.now())}.json`, text: await createBackup(deps) };
    },

    async 'exchange.backup.restore'({ text }) {
      return restoreBackup(deps, text);
    },

    async 'exchange.backup.list'() {
      return (await deps.host.call('backup.list', {})).sort((a, b) => b.createdAt - a.createdAt);
    },

    async 'exchange.backup.restoreSaved'({ name }) {
      const { text } = await deps.host.call('backup.read', { name });
      return restoreBackup(deps, text);
    },

    async 'exchange.backup.settings'({ keepDays }) {
      if (keepDays !== undefined) await setKeepDays(deps, keepDays);
      return readBackupSettings(deps);
    },
  };
}

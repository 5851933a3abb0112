import type { leadWorkspaceContract, SavedView, TablePrefs } from '@shared/contract/lead-workspace';
import { NOTIFICATION_KINDS } from '@shared/contract/lead-workspace';
import { leadDisplayName } from '@shared/model/lead';
import type { LeadId } from '@shared/model/ids';
import type { User } from '@shared/model/team';
import { can } from '../team/permissions';
import { getActionPlanSettings } from '../team/settings';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';
import { leadsOfLender } from '../store/queries';
import { getLead, toLead } from './app';
import { bulkApply, restoreBatch } from './bulk';
import { leadIndexOf } from './lead-index';
import { leadFacets, matchingIds, queryLeads } from './query';
import { touchLead } from './touch';

const prefsKey = (userId: string) => `leadTable:${userId}`;
const viewsKey = (userId: string) => `leadViews:${userId}`;

/** The leads workspace: paged, indexed queries, facets, bulk actions, notes, per-user table layout and views. */
export function createLeadWorkspaceHandlers(deps: EngineDeps): AreaHandlers<typeof leadWorkspaceContract> {
  const { db, clock } = deps;
  // Kept exact by the store's write hooks: no handler here needs to drop or rebuild it.
  const index = leadIndexOf(db);

  /** Who may see which leads (team rules): everyone sees all, except a lender, who sees only their own. */
  async function scopeFor(user: User): Promise<Set<LeadId> | null> {
    if (can('viewAllLeads', user.role, await getActionPlanSettings(db))) return null;
    return new Set(await leadsOfLender(db, user.id).primaryKeys());
  }

  async function views(userId: string): Promise<SavedView[]> {
    return ((await db.settings.get(viewsKey(userId)))?.value as SavedView[] | undefined) ?? [];
  }

  return {
    async 'notifications.list'({ limit }) {
      const lists = await Promise.all(
        NOTIFICATION_KINDS.map((kind) =>
          db.history.where('[kind+at]').between([kind, -Infinity], [kind, Infinity]).reverse().limit(limit).toArray(),
        ),
      );
      const entries = lists
        .flat()
        .sort((a, b) => b.at - a.at)
        .slice(0, limit);
      const leads = await db.leads.bulkGet([...new Set(entries.map((e) => e.leadId))]);
      const names = new Map(leads.filter((l) => !!l).map((l) => [l.id as string, leadDisplayName(l)]));
      return entries.map((entry) => ({ entry, leadName: names.get(entry.leadId) ?? 'Deleted lead' }));
    },

    async 'leads.query'(q, { user }) {
      return queryLeads(db, index, q, await scopeFor(user));
    },

    async 'leads.facets'(filter, { user }) {
      return leadFacets(db, index, filter, await scopeFor(user));
    },

    async 'leads.ids'(filter, { user }) {
      const set = await matchingIds(index, filter, undefined, await scopeFor(user));
      return { ids: set ? [...set] : index.allIds() };
    },

    async 'leads.bulk'({ target, action }, { user }) {
      const scope = await scopeFor(user);
      const ids: LeadId[] =
        'ids' in target
          ? target.ids.filter((id) => !scope || scope.has(id))
          : [...((await matchingIds(index, target.filter, undefined, scope)) ?? index.allIds())];
      return bulkApply(deps, ids, action, userActor(user));
    },

    async 'leads.restore'({ batchId }, { user }) {
      return { restored: await restoreBatch(deps, batchId, userActor(user)) };
    },

    async 'leads.addNote'({ leadId, text }, { user }) {
      return db.transaction('rw', [db.leads, db.enrollments, db.history], async () => {
        await getLead(deps, leadId);
        const entry = await record(db, deps.newId(), {
          leadId,
          at: clock.now(),
          kind: 'note',
          summary: `Note by ${user.name}`,
          detail: text,
          actor: userActor(user),
        });
        await touchLead(deps, leadId);
        return { id: entry.id };
      });
    },

    async 'leads.setOptOuts'({ id, optOuts }, { user }) {
      const lead = await db.transaction('rw', db.leads, db.history, async () => {
        const before = await getLead(deps, id);
        const now = clock.now();
        const changes = (['email', 'sms'] as const)
          .filter((c) => before.optOuts[c] !== optOuts[c])
          .map((c) => `${c === 'email' ? 'Email' : 'Text messages'}: ${optOuts[c] ? 'opted out' : 'opted in again'}`);
        await db.leads.update(id, { optOuts, updatedAt: now, lastActivityAt: now });
        if (changes.length)
          await record(db, deps.newId(), { leadId: id, at: now, kind: 'leadUpdated', summary: changes.join('; '), actor: userActor(user) });
        return toLead((await db.leads.get(id))!);
      });
      return lead;
    },

    async 'leads.tablePrefs'(_p, { user }) {
      return ((await db.settings.get(prefsKey(user.id)))?.value as TablePrefs | undefined) ?? null;
    },

    async 'leads.saveTablePrefs'(prefs, { user }) {
      await db.settings.put({ key: prefsKey(user.id), value: prefs });
      return prefs;
    },

    async 'leads.views'(_p, { user }) {
      return views(user.id);
    },

    async 'leads.saveView'(view, { user }) {
      const next = [...(await views(user.id)).filter((v) => v.name !== view.name), view].sort((a, b) => a.name.localeCompare(b.name));
      await db.settings.put({ key: viewsKey(user.id), value: next });
      return next;
    },

    async 'leads.deleteView'({ name }, { user }) {
      const next = (await views(user.id)).filter((v) => v.name !== name);
      await db.settings.put({ key: viewsKey(user.id), value: next });
      return next;
    },
  };
}

import type { notesContract } from '@shared/contract/notes';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { record, userActor } from '../history/history';
import { getLead } from '../leads/app';

export function createNotesHandlers(deps: EngineDeps): AreaHandlers<typeof notesContract> {
  const { db, clock } = deps;
  return {
    async 'leads.addNote'({ leadId, text }, { user }) {
      return db.transaction('rw', db.leads, db.history, async () => {
        await getLead(deps, leadId);
        return record(db, deps.newId(), { leadId, at: clock.now(), kind: 'note', summary: text, actor: userActor(user) });
      });
    },
  };
}

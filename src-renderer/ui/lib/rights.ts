import type { TeamRights } from '@shared/contract/team';
import { useEngineQuery } from './use-engine';

/** What the current user may do now (from the engine's permission table); re-read when settings change. */
export function useRights(): TeamRights | undefined {
  return useEngineQuery('team.rights', {}, ['settings', 'users', 'assignmentDays']).data;
}

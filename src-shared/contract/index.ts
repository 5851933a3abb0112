import { enrollmentsContract } from './enrollments';
import { leadWorkspaceContract } from './lead-workspace';
import { leadsContract } from './leads';
import { outboxContract } from './outbox';
import { plansContract } from './plans';
import { routingContract } from './routing';
import { queueContract } from './queue';
import { sessionContract } from './session';
import { settingsContract } from './settings';
import { systemContract } from './system';
import { tasksContract } from './tasks';
import { teamContract } from './team';

/** Every engine method, one map: the UI's client and the engine's server are both generic over it. */
export const engineContract = {
  ...sessionContract,
  ...leadsContract,
  ...leadWorkspaceContract,
  ...plansContract,
  ...enrollmentsContract,
  ...settingsContract,
  ...outboxContract,
  ...queueContract,
  ...systemContract,
  ...tasksContract,
  ...teamContract,
  ...routingContract,
};
export type EngineContract = typeof engineContract;
export type EngineMethod = keyof EngineContract;

/** Every event the engine pushes. `changed` names the stores that changed so open views re-query. */
export interface EngineEvents {
  [name: string]: unknown;
  changed: { tables: string[] };
  schedulerState: { running: boolean };
}

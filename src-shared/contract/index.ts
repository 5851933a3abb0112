import { channelsContract } from './channels';
import { enrollmentsContract } from './enrollments';
import { exchangeContract } from './exchange';
import type { ExchangeEvents } from './exchange';
import { enrollmentsBulkContract } from './enrollments-bulk';
import { leadWorkspaceContract } from './lead-workspace';
import { leadsContract } from './leads';
import { outboxContract } from './outbox';
import { planToolsContract } from './plan-tools';
import { plansContract } from './plans';
import { routingContract } from './routing';
import { queueContract } from './queue';
import { sessionContract } from './session';
import { settingsContract } from './settings';
import { syncContract } from './sync';
import type { TeamServerStatus } from './sync';
import { systemContract } from './system';
import { tasksContract } from './tasks';
import { teamContract } from './team';
import { templatesContract } from './templates';

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
  ...templatesContract,
  ...planToolsContract,
  ...enrollmentsBulkContract,
  ...teamContract,
  ...routingContract,
  ...exchangeContract,
  ...channelsContract,
  ...syncContract,
};
export type EngineContract = typeof engineContract;
export type EngineMethod = keyof EngineContract;

/** Every event the engine pushes. `changed` names the stores that changed so open views re-query. */
export interface EngineEvents {
  [name: string]: unknown;
  changed: { tables: string[] };
  schedulerState: { running: boolean };
  importProgress: ExchangeEvents['importProgress'];
  /** Progress of a bulk action on enrollments (`enrollments.bulkApply`), for its progress bar. */
  bulkProgress: { jobId: string; done: number; total: number };
  /** A desktop notification the page shows when the host cannot (web mode); a click opens the lead. */
  notification: { title: string; body: string; leadId: string | null };
  /** The engine's clock jumped (the e2e test clock was moved): views re-read `system.now`. */
  clockChanged: { now: number };
  /** The user clicked a desktop notification about this lead. */
  openLead: { leadId: string };
  /** The team server's status changed (Settings → Team server, the sidebar's status line). */
  syncStatus: TeamServerStatus;
}

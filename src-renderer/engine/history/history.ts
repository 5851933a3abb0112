import type { Actor, Execution } from '@shared/model/enrollment';
import type { HistoryEntry, HistoryKind } from '@shared/model/history';
import type { EnrollmentId, EpochMs, LeadId, OutboxId, PlanId, StepId } from '@shared/model/ids';
import type { User } from '@shared/model/team';
import type { AppDb } from '../store/db';

export interface HistoryInput {
  leadId: LeadId;
  at: EpochMs;
  kind: HistoryKind;
  summary: string;
  actor: Actor;
  planId?: PlanId | null;
  enrollmentId?: EnrollmentId | null;
  stepId?: StepId | null;
  outboxId?: OutboxId | null;
  detail?: string | null;
  execution?: Execution;
}

/** Appends one line to a lead's timeline; call inside the transaction that made the change. */
export async function record(db: AppDb, id: string, input: HistoryInput): Promise<HistoryEntry> {
  const entry = historyEntry(id, input);
  await db.history.add(entry);
  return entry;
}

/** The timeline line `input` describes, with every field a line has (absent ones null). */
export function historyEntry(id: string, input: HistoryInput): HistoryEntry {
  const entry: HistoryEntry = {
    id,
    leadId: input.leadId,
    at: input.at,
    kind: input.kind,
    summary: input.summary,
    actor: input.actor,
    planId: input.planId ?? null,
    enrollmentId: input.enrollmentId ?? null,
    stepId: input.stepId ?? null,
    outboxId: input.outboxId ?? null,
    detail: input.detail ?? null,
  };
  // Only a step's own line has one: lines without it stay out of the unique execution-key index.
  if (input.execution) entry.execution = input.execution;
  return entry;
}

export const userActor = (user: User): Actor => ({ kind: 'user', userId: user.id, name: user.name });

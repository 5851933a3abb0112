import type { z } from 'zod';
import { AppError } from '@shared/rpc/errors';
import type { TeamServerStatus } from '@shared/contract/sync';

/** The contract's own messages for what was typed, keyed by field, before anything is sent. */
export function check(schema: z.ZodType, values: unknown): Record<string, string> {
  const result = schema.safeParse(values);
  const out: Record<string, string> = {};
  if (result.success) return out;
  for (const issue of result.error.issues) out[issue.path.map(String).join('.')] ??= issue.message;
  return out;
}

/** "Connected, but the first sync did not finish": the engine joined this computer and says where it stands. */
export function statusOfError(err: unknown): TeamServerStatus | null {
  if (!(err instanceof AppError)) return null;
  const status = err.details?.status as TeamServerStatus | undefined;
  return status && typeof status === 'object' && typeof status.state === 'string' ? status : null;
}

const KIND_WORDS: Record<string, string> = {
  account: 'The account',
  user: 'A person',
  setting: 'A setting',
  plan: 'A plan',
  template: 'A template',
  routingRule: 'A routing rule',
  routingSettings: 'Lead routing settings',
  device: 'A computer',
  capDay: 'The daily assignment count',
  lead: 'A lead',
  enrollment: 'A plan enrollment',
  history: 'A history line',
  task: 'A task',
};

/** What a server document is, in words ("A lead", "A plan"), with its key for support. */
export function describeDoc(docId: string): { what: string; key: string | null } {
  const i = docId.indexOf(':');
  const kind = i < 0 ? docId : docId.slice(0, i);
  const what = KIND_WORDS[kind];
  if (!what) return { what: docId, key: null };
  return { what, key: i < 0 ? null : docId.slice(i + 1) };
}

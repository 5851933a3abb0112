import type { FieldIssue } from '@shared/rpc/errors';
import { AppError } from '@shared/rpc/errors';

/** The sentence a user reads for any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Field-level problems keyed by path (e.g. "email", "steps.0.subject") for inline messages. */
export function fieldIssues(err: unknown): Record<string, string> {
  const issues: FieldIssue[] = err instanceof AppError ? (err.details?.issues ?? []) : [];
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path] ??= i.message;
  return out;
}

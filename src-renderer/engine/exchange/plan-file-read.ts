import type { PlanFile } from '@shared/exchange/plan-file';
import { PLAN_FILE_FORMAT, PLAN_FILE_MAX_BYTES, PLAN_FILE_VERSION, planFileSchema } from '@shared/exchange/plan-file';
import { AppError } from '@shared/rpc/errors';
import { zodToAppError } from '@shared/rpc/server';

/** Reads a plan file's text: every way it can be wrong gets its own sentence, before anything is written. */
export function readPlanFile(text: string): PlanFile {
  if (text.trim() === '') throw new AppError('ValidationFailed', 'The file is empty.');
  if (text.length > PLAN_FILE_MAX_BYTES) {
    throw new AppError('ValidationFailed', `The file is too large for a plan file (over ${PLAN_FILE_MAX_BYTES / 1024 / 1024} MB).`, {
      size: text.length,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('ValidationFailed', `The file is not a complete plan file (it may be cut short): ${(err as Error).message}`);
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== PLAN_FILE_FORMAT) {
    throw new AppError('ValidationFailed', 'This is not an Action Plans plan file.');
  }
  if (head.version !== PLAN_FILE_VERSION) {
    throw new AppError(
      'ValidationFailed',
      `This plan file is version ${String(head.version)}; this app reads version ${PLAN_FILE_VERSION}. Update the app that reads it, or export it again.`,
      { version: head.version },
    );
  }
  const parsed = planFileSchema.safeParse(json);
  if (!parsed.success) throw zodToAppError(parsed.error, 'The plan file is damaged');
  return parsed.data;
}

/**
 * Errors that cross a process boundary: a code the UI can switch on, a sentence a user can act on,
 * and the details (field, limit, server answer) that make the sentence precise.
 */
export type ErrorCode =
  'ValidationFailed' | 'NotFound' | 'PermissionDenied' | 'Conflict' | 'QuotaExceeded' | 'HostUnavailable' | 'DeliveryFailed' | 'Internal';

export interface FieldIssue {
  path: string;
  message: string;
}

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown> & { issues?: FieldIssue[] };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorShape['details'];

  constructor(code: ErrorCode, message: string, details?: ErrorShape['details']) {
    super(message);
    this.name = code;
    this.code = code;
    this.details = details;
  }

  toShape(): ErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(shape: ErrorShape): AppError {
    return new AppError(shape.code, shape.message, shape.details);
  }
}

export const validationFailed = (message: string, issues: FieldIssue[]): AppError => new AppError('ValidationFailed', message, { issues });
export const notFound = (what: string, id: string): AppError =>
  new AppError('NotFound', `${what} not found (it may have been deleted)`, { what, id });
export const conflict = (message: string, details?: Record<string, unknown>): AppError => new AppError('Conflict', message, details);

export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof AppError) return err.toShape();
  if (isErrorShape(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'Internal', message: `Unexpected error: ${message}` };
}

export function isErrorShape(v: unknown): v is ErrorShape {
  return typeof v === 'object' && v !== null && typeof (v as ErrorShape).code === 'string' && typeof (v as ErrorShape).message === 'string';
}

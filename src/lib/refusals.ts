import { AppError, Conflict, type FieldError } from './errors';

const TITLES: Record<number, string> = { 400: 'Bad request', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict' };

/**
 * A refusal with its own stable code (problem type), e.g. `reuse.not_owner` or
 * `experience_report.already_answered`, where the generic slug of Forbidden or Conflict would
 * not tell a client which rule it ran into.
 */
export function refused(status: 400 | 403 | 404 | 409, code: string, detail: string, errors: FieldError[] = []): AppError {
  return new AppError(status, code, TITLES[status]!, detail, errors);
}

/** A 409 with its own code that still names the record the request collides with (existingId). */
export function conflictWith(code: string, detail: string, existing: { id: string }): Conflict {
  const error = new Conflict(detail, existing);
  Object.defineProperty(error, 'slug', { value: code });
  return error;
}

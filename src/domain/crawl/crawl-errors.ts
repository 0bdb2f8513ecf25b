import { GitRemoteError } from '../../git/errors';
import { PermanentJobError } from '../../jobs/contract';

/**
 * A failure in words for the repository's last error; a failure with a code names it. Whether
 * it is retried is decided in one place for every job: src/jobs/failure.ts.
 */
export function failureMessage(error: unknown): string {
  if (error instanceof GitRemoteError) return error.code ? `${error.message} (${error.code})` : error.message;
  if (error instanceof PermanentJobError) return error.message;
  return `internal error while crawling: ${(error as Error)?.message ?? String(error)}`;
}

import { GitRemoteError } from '../../git/errors';
import { PermanentJobError } from '../../jobs/contract';

/** A failure in words for the repository's last error, and whether retrying can help. */
export function describeFailure(error: unknown): { message: string; permanent: boolean } {
  if (error instanceof GitRemoteError) return { message: error.message, permanent: error.permanent };
  if (error instanceof PermanentJobError) return { message: error.message, permanent: true };
  return { message: `internal error while crawling: ${(error as Error)?.message ?? String(error)}`, permanent: false };
}

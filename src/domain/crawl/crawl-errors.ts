import { GitRemoteError } from '../../git/errors';
import { PermanentJobError } from '../../jobs/contract';

/**
 * A host that was too slow, or a crawl that ran out of time, is tried twice in all: a
 * second chance covers a passing slowness, while five attempts of 5 minutes each would
 * let one hostile host occupy a crawl slot for 25 minutes.
 */
const SLOW_ATTEMPTS = 2;

/**
 * A failure in words for the repository's last error, whether retrying can help and how many
 * attempts this kind of failure gets at most. A failure with a code names it in the message.
 */
export function describeFailure(error: unknown): { message: string; permanent: boolean; maxAttempts: number } {
  if (error instanceof GitRemoteError) {
    const message = error.code ? `${error.message} (${error.code})` : error.message;
    return { message, permanent: error.permanent, maxAttempts: error.kind === 'slow' ? SLOW_ATTEMPTS : Infinity };
  }
  if (error instanceof PermanentJobError) return { message: error.message, permanent: true, maxAttempts: 1 };
  return { message: `internal error while crawling: ${(error as Error)?.message ?? String(error)}`, permanent: false, maxAttempts: Infinity };
}

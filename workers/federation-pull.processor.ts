import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { federationPullJob } from '../src/jobs/federation-pull.job';
import { toProcessor } from './processor';

/** federation-pull: pulls one peer (src/domain/federation/pull-job.ts); 401/403/protocol/rollback become UnrecoverableError. */
export function federationPullProcessor(hub: HubContext) {
  return toProcessor(federationPullJob, createJobHandlers(hub)[federationPullJob.name]!, hub.logger);
}

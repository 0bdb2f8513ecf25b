import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { expireSearchBoostsJob } from '../src/jobs/expire-search-boosts.job';
import { toProcessor } from './processor';

export function expireSearchBoostsProcessor(hub: HubContext) {
  return toProcessor(expireSearchBoostsJob, createJobHandlers(hub)[expireSearchBoostsJob.name]!, hub.logger);
}

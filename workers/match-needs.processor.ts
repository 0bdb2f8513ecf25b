import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { matchNeedsJob } from '../src/jobs/match-needs.job';
import { toProcessor } from './processor';

export function matchNeedsProcessor(hub: HubContext) {
  return toProcessor(matchNeedsJob, createJobHandlers(hub)[matchNeedsJob.name]!, hub.logger);
}

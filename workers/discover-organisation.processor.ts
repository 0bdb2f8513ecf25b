import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { discoverOrganisationJob } from '../src/jobs/discover-organisation.job';
import { toProcessor } from './processor';

export function discoverOrganisationProcessor(hub: HubContext) {
  return toProcessor(discoverOrganisationJob, createJobHandlers(hub)[discoverOrganisationJob.name]!, hub.logger);
}

import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { compactFederationLogJob } from '../src/jobs/compact-federation-log.job';
import { toProcessor } from './processor';

export function compactFederationLogProcessor(hub: HubContext) {
  return toProcessor(compactFederationLogJob, createJobHandlers(hub)[compactFederationLogJob.name]!, hub.logger);
}

import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { scheduleCrawlsJob } from '../src/jobs/schedule-crawls.job';
import { toProcessor } from './processor';

export function scheduleCrawlsProcessor(hub: HubContext) {
  return toProcessor(scheduleCrawlsJob, createJobHandlers(hub)[scheduleCrawlsJob.name]!, hub.logger);
}

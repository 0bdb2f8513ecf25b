import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { crawlRepositoryJob } from '../src/jobs/crawl-repository.job';
import { toProcessor } from './processor';

/** crawl-repository: validates the payload (handler), crawls, maps permanent failures to UnrecoverableError. */
export function crawlRepositoryProcessor(hub: HubContext) {
  return toProcessor(crawlRepositoryJob, createJobHandlers(hub)[crawlRepositoryJob.name]!, hub.logger);
}

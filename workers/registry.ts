import type { Processor } from 'bullmq';
import type { HubContext } from '../src/domain/context';
import { crawlRepositoryJob } from '../src/jobs/crawl-repository.job';
import type { JobContract } from '../src/jobs/contract';
import { discoverOrganisationJob } from '../src/jobs/discover-organisation.job';
import { scheduleCrawlsJob } from '../src/jobs/schedule-crawls.job';
import { crawlRepositoryProcessor } from './crawl-repository.processor';
import { discoverOrganisationProcessor } from './discover-organisation.processor';
import { scheduleCrawlsProcessor } from './schedule-crawls.processor';
import { expireSearchBoostsJob } from '../src/jobs/expire-search-boosts.job';
import { expireSearchBoostsProcessor } from './expire-search-boosts.processor';

export type Registration = { contract: JobContract; processor: Processor; concurrency: number };

/** queue → processor and concurrency. Only crawls are numerous; the other queues need one slot. */
export function createRegistry(hub: HubContext): Registration[] {
  return [
    { contract: crawlRepositoryJob, processor: crawlRepositoryProcessor(hub), concurrency: hub.config.workerConcurrency },
    { contract: discoverOrganisationJob, processor: discoverOrganisationProcessor(hub), concurrency: 1 },
    { contract: scheduleCrawlsJob, processor: scheduleCrawlsProcessor(hub), concurrency: 1 },
    { contract: expireSearchBoostsJob, processor: expireSearchBoostsProcessor(hub), concurrency: 1 },
  ];
}

import type { Processor } from 'bullmq';
import type { HubContext } from '../src/domain/context';
import { crawlRepositoryJob } from '../src/jobs/crawl-repository.job';
import type { JobContract } from '../src/jobs/contract';
import { discoverOrganisationJob } from '../src/jobs/discover-organisation.job';
import { scheduleCrawlsJob } from '../src/jobs/schedule-crawls.job';
import { crawlRepositoryProcessor } from './crawl-repository.processor';
import { discoverOrganisationProcessor } from './discover-organisation.processor';
import { scheduleCrawlsProcessor } from './schedule-crawls.processor';
import { deliverWebhookJob } from '../src/jobs/deliver-webhook.job';
import { dispatchWebhooksJob } from '../src/jobs/dispatch-webhooks.job';
import { deliverWebhookProcessor, dispatchWebhooksProcessor } from './webhooks.processor';
import { matchNeedsJob } from '../src/jobs/match-needs.job';
import { matchNeedsProcessor } from './match-needs.processor';
import { expireSearchBoostsJob } from '../src/jobs/expire-search-boosts.job';
import { expireSearchBoostsProcessor } from './expire-search-boosts.processor';
import { compactFederationLogJob } from '../src/jobs/compact-federation-log.job';
import { compactFederationLogProcessor } from './compact-federation-log.processor';
import { federationPullJob } from '../src/jobs/federation-pull.job';
import { federationPullProcessor } from './federation-pull.processor';

export type Registration = { contract: JobContract; processor: Processor; concurrency: number };

/** queue → processor and concurrency. Only crawls are numerous; the other queues need one slot. */
export function createRegistry(hub: HubContext): Registration[] {
  return [
    { contract: crawlRepositoryJob, processor: crawlRepositoryProcessor(hub), concurrency: hub.config.workerConcurrency },
    { contract: discoverOrganisationJob, processor: discoverOrganisationProcessor(hub), concurrency: 1 },
    { contract: scheduleCrawlsJob, processor: scheduleCrawlsProcessor(hub), concurrency: 1 },
    { contract: dispatchWebhooksJob, processor: dispatchWebhooksProcessor(hub), concurrency: 1 },
    // Deliveries wait on receivers (network, up to HUB_WEBHOOK_TIMEOUT_SECONDS), not on the CPU: a slow endpoint must not hold up the rest.
    { contract: deliverWebhookJob, processor: deliverWebhookProcessor(hub), concurrency: hub.config.workerConcurrency * 2 },
    { contract: matchNeedsJob, processor: matchNeedsProcessor(hub), concurrency: 1 },
    { contract: expireSearchBoostsJob, processor: expireSearchBoostsProcessor(hub), concurrency: 1 },
    // Pulls wait on peers (network), one per peer at a time (deduplicated, serialised per peer): a few slots for several peers.
    { contract: federationPullJob, processor: federationPullProcessor(hub), concurrency: 4 },
    { contract: compactFederationLogJob, processor: compactFederationLogProcessor(hub), concurrency: 1 },
  ];
}

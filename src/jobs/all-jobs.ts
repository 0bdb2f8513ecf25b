import type { JobContract } from './contract';
import { crawlRepositoryJob } from './crawl-repository.job';
import { discoverOrganisationJob } from './discover-organisation.job';
import { scheduleCrawlsJob } from './schedule-crawls.job';
import { deliverWebhookJob } from './deliver-webhook.job';
import { dispatchWebhooksJob } from './dispatch-webhooks.job';
import { matchNeedsJob } from './match-needs.job';
import { expireSearchBoostsJob } from './expire-search-boosts.job';
import { federationPullJob } from './federation-pull.job';
import { compactFederationLogJob } from './compact-federation-log.job';

/** Every job contract, one queue each (GET /metrics reports the depth of each). */
export const ALL_JOBS: readonly JobContract[] = [crawlRepositoryJob, discoverOrganisationJob, scheduleCrawlsJob, dispatchWebhooksJob, deliverWebhookJob, matchNeedsJob, expireSearchBoostsJob, federationPullJob, compactFederationLogJob];

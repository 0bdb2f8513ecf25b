import { crawlRepositoryJob } from '../jobs/crawl-repository.job';
import { parsePayload, type JobHandler } from '../jobs/contract';
import { jobFailure } from '../jobs/failure';
import { discoverOrganisationJob } from '../jobs/discover-organisation.job';
import { scheduleCrawlsJob } from '../jobs/schedule-crawls.job';
import { matchNeedsJob } from '../jobs/match-needs.job';
import { expireSearchBoostsJob } from '../jobs/expire-search-boosts.job';
import { expireSearchBoosts } from './search/boosts.service';
import type { HubContext } from './context';
import { observeCrawl } from './crawl/crawl-metrics';
import { crawlRepository } from './crawl/crawl.service';
import { discoverOrganisation } from './crawl/discover.service';
import { fanOutCrawls } from './crawl/schedule.service';
import { deliverWebhookJob } from '../jobs/deliver-webhook.job';
import { dispatchWebhooksJob } from '../jobs/dispatch-webhooks.job';
import { deliverAttempt } from './webhooks/delivery.service';
import { dispatchWebhookEvents } from './webhooks/dispatch.service';
import { matchNeed, rematchNeeds } from './needs/need-matching';
import { federationPullJob } from '../jobs/federation-pull.job';
import { runPullJob } from './federation/pull-job';
import { compactFederationLogJob } from '../jobs/compact-federation-log.job';
import { compactFederationLog } from './federation/log-compaction.service';


/**
 * queue name → the work, for both runners: the BullMQ workers (workers/registry.ts)
 * and the in-process runner of embedded mode (deps.ts). One table, one behaviour.
 */
export function createJobHandlers(hub: HubContext): Record<string, JobHandler> {
  return {
    [crawlRepositoryJob.name]: async (payload, job) => {
      const { repositoryId, requestedAt } = parsePayload(crawlRepositoryJob, payload);
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        observeCrawl(hub.db, await crawlRepository(hub, repositoryId, { ...job, requestedAt: requestedAt ? new Date(requestedAt) : undefined }), seconds());
      } catch (error) {
        observeCrawl(hub.db, jobFailure(error, job).retry ? 'retrying' : 'failed', seconds());
        throw error;
      }
    },
    [discoverOrganisationJob.name]: async (payload, job) => {
      const input = parsePayload(discoverOrganisationJob, payload);
      // A host refused as private (or gone) stays so: jobFailure sees the error's `permanent`.
      await discoverOrganisation(hub, { ...input, signal: job.signal });
    },
    [scheduleCrawlsJob.name]: async (payload, job) => {
      parsePayload(scheduleCrawlsJob, payload);
      await fanOutCrawls(hub, job.jobId);
    },
    [dispatchWebhooksJob.name]: async (payload) => {
      parsePayload(dispatchWebhooksJob, payload);
      await dispatchWebhookEvents(hub);
    },
    [deliverWebhookJob.name]: async (payload, job) => {
      await deliverAttempt(hub, parsePayload(deliverWebhookJob, payload), job.signal);
    },
    [matchNeedsJob.name]: async (payload) => {
      const { needId } = parsePayload(matchNeedsJob, payload);
      if (needId) await matchNeed(hub, needId);
      else await rematchNeeds(hub);
    },
    [expireSearchBoostsJob.name]: async (payload) => {
      parsePayload(expireSearchBoostsJob, payload);
      await expireSearchBoosts(hub);
    },
    [federationPullJob.name]: async (payload, job) => {
      await runPullJob(hub, parsePayload(federationPullJob, payload).peerId, job);
    },
    [compactFederationLogJob.name]: async (payload) => {
      parsePayload(compactFederationLogJob, payload);
      await compactFederationLog(hub);
    },
  };
}

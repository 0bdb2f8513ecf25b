import type { Static, TSchema } from 'typebox';
import { crawlRepositoryJob } from '../jobs/crawl-repository.job';
import { InvalidJobPayload, parsePayload, PermanentJobError, type JobContract, type JobHandler } from '../jobs/contract';
import { discoverOrganisationJob } from '../jobs/discover-organisation.job';
import { scheduleCrawlsJob } from '../jobs/schedule-crawls.job';
import { expireSearchBoostsJob } from '../jobs/expire-search-boosts.job';
import { expireSearchBoosts } from './search/boosts.service';
import type { HubContext } from './context';
import { crawlRepository } from './crawl/crawl.service';
import { discoverOrganisation } from './crawl/discover.service';
import { fanOutCrawls } from './crawl/schedule.service';
import { GitRemoteError } from '../git/errors';

/** A malformed payload can never succeed: permanent, never retried. */
function parse<S extends TSchema>(contract: JobContract<S>, payload: unknown): Static<S> {
  try {
    return parsePayload(contract, payload);
  } catch (error) {
    if (error instanceof InvalidJobPayload) throw new PermanentJobError(error.message);
    throw error;
  }
}

/**
 * queue name → the work, for both runners: the BullMQ workers (workers/registry.ts)
 * and the in-process runner of embedded mode (deps.ts). One table, one behaviour.
 */
export function createJobHandlers(hub: HubContext): Record<string, JobHandler> {
  return {
    [crawlRepositoryJob.name]: async (payload, job) => {
      const { repositoryId, requestedAt } = parse(crawlRepositoryJob, payload);
      await crawlRepository(hub, repositoryId, { ...job, requestedAt: requestedAt ? new Date(requestedAt) : undefined });
    },
    [discoverOrganisationJob.name]: async (payload, job) => {
      const input = parse(discoverOrganisationJob, payload);
      try {
        await discoverOrganisation(hub, { ...input, signal: job.signal });
      } catch (error) {
        // A host refused as private (or gone) stays so: no retries.
        if (error instanceof GitRemoteError && error.permanent) throw new PermanentJobError(error.message);
        throw error;
      }
    },
    [scheduleCrawlsJob.name]: async (payload, job) => {
      parse(scheduleCrawlsJob, payload);
      await fanOutCrawls(hub, job.jobId);
    },
    [expireSearchBoostsJob.name]: async (payload) => {
      parse(expireSearchBoostsJob, payload);
      await expireSearchBoosts(hub);
    },
  };
}

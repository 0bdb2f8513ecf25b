import type { Executor } from '../../db/client';
import type { RepositoryRow } from '../../db/queries/repositories.queries';
import { recordEvent } from '../webhooks/events';

const repositoryRef = (repository: RepositoryRow) => ({ id: repository.id, url: repository.url, softwareId: repository.softwareId });

/**
 * crawl.failed (webhooks) when a repository that crawled fine ends failed: once per run of
 * failures, not on every failed day (consecutiveFailures was 0 before this one).
 */
export async function announceFailure(tx: Executor, repository: RepositoryRow, failure: { message: string; paused: boolean }) {
  if (repository.consecutiveFailures > 0) return;
  await recordEvent(tx, {
    type: 'crawl.failed',
    organisationId: repository.organisationId,
    softwareId: repository.softwareId,
    data: { repository: repositoryRef(repository), error: failure.message, paused: failure.paused },
  });
}

/** crawl.recovered when a crawl succeeds after one or more that ended failed. */
export async function announceRecovery(tx: Executor, repository: RepositoryRow) {
  if (repository.consecutiveFailures === 0) return;
  await recordEvent(tx, {
    type: 'crawl.recovered',
    organisationId: repository.organisationId,
    softwareId: repository.softwareId,
    data: { repository: repositoryRef(repository), failedCrawls: repository.consecutiveFailures },
  });
}

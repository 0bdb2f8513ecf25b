import { insertAuditEvent } from '../../db/queries/audit.queries';
import { findRepositoryByUrl } from '../../db/queries/repositories.queries';
import type { HostKind } from '../../db/schema/repositories';
import { crawlRepositoryJob, crawlRequest } from '../../jobs/crawl-repository.job';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import type { HubContext } from '../context';
import { insertRepositoryWithSoftware } from './repository-entry';

/**
 * Registers a repository the crawler found in an organisation's account (no token: the
 * hub acts itself, recorded as such in the audit log). Known repositories, under their
 * URL or a former one, are left alone.
 */
export async function registerDiscoveredRepository(
  ctx: HubContext,
  input: { organisationId: string; url: string; hostKind: HostKind },
): Promise<{ created: boolean; repositoryId: string }> {
  const url = normaliseRepositoryUrl(input.url);
  const result = await ctx.db.transaction(async (tx) => {
    const existing = await findRepositoryByUrl(tx, url);
    if (existing) return { created: false, repositoryId: existing.id };
    const repository = await insertRepositoryWithSoftware(tx, { url, organisationId: input.organisationId, hostKind: input.hostKind });
    await insertAuditEvent(tx, {
      tokenId: null,
      actor: 'crawler (discover-organisation)',
      action: 'repository.register',
      entityType: 'repository',
      entityId: repository.id,
      detail: { url },
    });
    return { created: true, repositoryId: repository.id };
  });
  if (result.created) await ctx.queue.enqueue(crawlRepositoryJob, crawlRequest(result.repositoryId, 'registered'));
  return result;
}

import { findRepository } from '../../db/queries/repositories.queries';
import { discoverOrganisationJob } from '../../jobs/discover-organisation.job';
import { NotFound } from '../../lib/errors';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import type { HubContext } from '../context';
import { queueCrawl } from './queue-crawl';
import { repositoryView } from './repository.view';

/**
 * An on-demand refresh (publish token of the repository's organisation). Deduplicated:
 * while a crawl of the repository waits, another request joins it; while one runs, one
 * more is kept so changes pushed meanwhile are seen.
 */
export async function requestCrawl(ctx: HubContext, principal: Principal | null, id: string) {
  const row = isUuid(id) ? await findRepository(ctx.db, id.toLowerCase()) : null;
  if (!row) throw new NotFound('Repository', id);
  const who = requireScopeFor(principal, 'publish', row.organisationId);
  const { jobId, deduplicated, repository } = await queueCrawl(ctx, row, 'manual');
  await audit(ctx.db, who, { action: 'repository.crawl-request', entityType: 'repository', entityId: row.id, detail: { jobId, deduplicated } });
  return { ...repositoryView(repository), jobId, deduplicated };
}

/** Queues the listing of the organisation's code-hosting accounts (admin, or its publish token). */
export async function requestDiscovery(ctx: HubContext, principal: Principal | null, idOrSlug: string, onlyWithPubliccode: boolean) {
  const organisation = await getOrganisationRow(ctx.db, idOrSlug);
  const who = requireScopeFor(principal, 'publish', organisation.id);
  const queued = await ctx.queue.enqueue(discoverOrganisationJob, { organisationId: organisation.id, onlyWithPubliccode });
  await audit(ctx.db, who, { action: 'organisation.discover', entityType: 'organisation', entityId: organisation.id, detail: { onlyWithPubliccode } });
  return queued;
}

import { findRepository, findRepositoryByUrl, insertRepository } from '../../db/queries/repositories.queries';
import { insertSoftware, softwareSlugTaken } from '../../db/queries/software.queries';
import { GitRemoteError } from '../../git/errors';
import { assertPublicHost } from '../../git/host-guard';
import { AppError, Conflict, NotFound } from '../../lib/errors';
import { guessHostKind, normaliseRepositoryUrl } from '../../lib/repository-url';
import { isUuid, slugify, uniqueSlug } from '../../lib/slug';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import type { HubContext } from '../context';
import { queueCrawl } from './queue-crawl';
import { repositoryView } from './repository.view';

export async function getRepository(ctx: HubContext, id: string) {
  const row = isUuid(id) ? await findRepository(ctx.db, id.toLowerCase()) : null;
  if (!row) throw new NotFound('Repository', id);
  return repositoryView(row);
}

/**
 * A URL the crawler is bound to refuse (an address of the hub's own network, literal or by
 * name) is a 400 now rather than an entry whose crawl fails. A name that does not resolve
 * (yet) is accepted: DNS may be down, and the crawl says what it finds.
 */
async function refuseNonPublicHost(ctx: HubContext, url: string) {
  try {
    await assertPublicHost(url, ctx.config.allowPrivateHosts);
  } catch (error) {
    if (error instanceof GitRemoteError && error.kind === 'refused') {
      throw new AppError(400, 'repository.host-refused', 'Bad request', `The repository cannot be crawled: ${error.message}.`, [
        { field: '/url', message: 'host is not public' },
      ]);
    }
    if (!(error instanceof GitRemoteError)) throw error;
  }
}

/** "https://github.com/stadt-ulm/mängelmelder" → "mängelmelder": the name until the crawl finds a better one. */
function nameFromUrl(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url;
  return decodeURIComponent(last);
}

/**
 * Registers a repository for an organisation: creates its software entry (named after
 * the repository until the crawl reads publiccode.yml) and queues the first crawl.
 * Registering the same repository again is harmless and queues a refresh.
 */
export async function registerRepository(
  ctx: HubContext,
  principal: Principal | null,
  input: { url: string; organisationId: string },
) {
  const organisation = await getOrganisationRow(ctx.db, input.organisationId);
  const who = requireScopeFor(principal, 'publish', organisation.id);
  const url = normaliseRepositoryUrl(input.url);
  await refuseNonPublicHost(ctx, url);

  const { row, created } = await ctx.db.transaction(async (tx) => {
    const existing = await findRepositoryByUrl(tx, url);
    if (existing) {
      if (existing.organisationId !== organisation.id) {
        throw new Conflict('This repository is already registered by another organisation.');
      }
      await audit(tx, who, { action: 'repository.re-register', entityType: 'repository', entityId: existing.id, detail: { url } });
      return { row: existing, created: false };
    }
    const name = nameFromUrl(url);
    const software = await insertSoftware(tx, {
      name,
      slug: await uniqueSlug(slugify(name), (s) => softwareSlugTaken(tx, s)),
      organisationId: organisation.id,
      repositoryUrl: url,
    });
    const repository = await insertRepository(tx, {
      url,
      organisationId: organisation.id,
      softwareId: software.id,
      hostKind: guessHostKind(url),
      crawlState: 'queued',
    });
    await audit(tx, who, { action: 'repository.register', entityType: 'repository', entityId: repository.id, detail: { url } });
    return { row: repository, created: true };
  });

  const { repository } = await queueCrawl(ctx, row, 'registered');
  return { created, repository: repositoryView(repository) };
}

import type { CrawlState, HostKind } from '../../db/schema/repositories';
import { HOST_KINDS } from '../../db/schema/repositories';
import {
  deleteRepository,
  findRepository,
  findRepositoryByUrl,
  listRepositories,
  listRepositoriesOfSoftware,
} from '../../db/queries/repositories.queries';
import { findSoftware, updateSoftware } from '../../db/queries/software.queries';
import { decodeCursor, page } from '../../lib/cursor';
import { GitRemoteError } from '../../git/errors';
import { assertPublicHost } from '../../git/host-guard';
import { AppError, Conflict, NotFound } from '../../lib/errors';
import { guessHostKind, normaliseRepositoryUrl } from '../../lib/repository-url';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import type { HubContext } from '../context';
import { queueCrawl } from './queue-crawl';
import { insertRepositoryWithSoftware } from './repository-entry';
import { repositoryView } from './repository.view';

async function getRepositoryRow(ctx: HubContext, id: string) {
  const row = isUuid(id) ? await findRepository(ctx.db, id.toLowerCase()) : null;
  if (!row) throw new NotFound('Repository', id);
  return row;
}

export async function getRepository(ctx: HubContext, id: string) {
  return repositoryView(await getRepositoryRow(ctx, id));
}

export type ListRepositoriesQuery = {
  organisation?: string[];
  host?: string[];
  crawlState?: (CrawlState | 'paused')[];
  /** Any spelling of a repository URL; normalised as registration does (a CI job names its repository so). */
  url?: string;
  cursor?: string;
  limit: number;
};

/** Repositories in URL order; `host` takes host names (github.com) or host kinds (gitlab). */
export async function listRepositoriesPage(ctx: HubContext, query: ListRepositoriesQuery) {
  let organisationIds: string[] | undefined;
  if (query.organisation?.length) {
    const found = await Promise.all(query.organisation.map((o) => getOrganisationRow(ctx.db, o).then((r) => r.id, () => null)));
    organisationIds = found.filter((id): id is string => id !== null);
    if (organisationIds.length === 0) return { items: [], nextCursor: null };
  }
  const hosts = (query.host ?? []).map((h) => h.trim().toLowerCase());
  const after = decodeCursor(query.cursor, 1);
  const rows = await listRepositories(ctx.db, {
    organisationIds,
    hostKinds: hosts.filter((h): h is HostKind => (HOST_KINDS as readonly string[]).includes(h)),
    hostNames: hosts.filter((h) => !(HOST_KINDS as readonly string[]).includes(h)),
    crawlStates: query.crawlState?.filter((state): state is CrawlState => state !== 'paused'),
    paused: query.crawlState?.includes('paused') || undefined,
    url: query.url === undefined ? undefined : normaliseRepositoryUrl(query.url),
    afterUrl: after ? String(after[0]) : undefined,
    limit: query.limit + 1,
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => [row.url]);
  return { items: items.map(repositoryView), nextCursor };
}

/**
 * Removes a repository (publish token of its organisation, or admin). Jobs queued for it find
 * nothing and end; a crawl running meanwhile writes nothing (it updates the repository row
 * first). A software entry this registration alone made (never crawled nor described, no other
 * repository) is deactivated with it; an entry that was listed keeps what was crawled.
 */
export async function removeRepository(ctx: HubContext, principal: Principal | null, id: string) {
  const row = await getRepositoryRow(ctx, id);
  const who = requireScopeFor(principal, 'publish', row.organisationId);
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteRepository(tx, row.id))) throw new NotFound('Repository', id);
    const software = row.softwareId ? await findSoftware(tx, { id: row.softwareId }) : null;
    const orphan = software !== null && !software.listed && (await listRepositoriesOfSoftware(tx, software.id)).length === 0;
    if (orphan) await updateSoftware(tx, software.id, { active: false });
    await audit(tx, who, {
      action: 'repository.delete',
      entityType: 'repository',
      entityId: row.id,
      detail: { url: row.url, softwareId: row.softwareId, softwareDeactivated: orphan },
    });
  });
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

/**
 * Registers a repository for an organisation: creates its software entry (named after
 * the repository until the crawl reads publiccode.yml, not listed until a crawl succeeds)
 * and queues the first crawl.
 * Registering the same repository again is harmless and queues a refresh.
 */
export async function registerRepository(
  ctx: HubContext,
  principal: Principal | null,
  input: { url: string; organisationId: string },
) {
  // Redis away: refuse (503) before committing a repository as "queued" that no job would crawl.
  await ctx.queue.ping();
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
    const repository = await insertRepositoryWithSoftware(tx, { url, organisationId: organisation.id, hostKind: guessHostKind(url) });
    await audit(tx, who, { action: 'repository.register', entityType: 'repository', entityId: repository.id, detail: { url } });
    return { row: repository, created: true };
  });

  const { repository } = await queueCrawl(ctx, row, 'registered');
  return { created, repository: repositoryView(repository) };
}

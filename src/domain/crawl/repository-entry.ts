import type { Executor } from '../../db/client';
import { insertRepository } from '../../db/queries/repositories.queries';
import { insertSoftware, softwareSlugTaken } from '../../db/queries/software.queries';
import type { HostKind } from '../../db/schema/repositories';
import { slugify, uniqueSlug } from '../../lib/slug';

/** "https://github.com/stadt-ulm/mängelmelder" → "mängelmelder": the name until the crawl finds a better one. */
function nameFromUrl(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url;
  return decodeURIComponent(last);
}

/**
 * A new repository with the software entry it feeds. The entry is not listed (lists, search)
 * until a crawl succeeds or its owner describes it: a URL alone, which may not even exist,
 * makes no catalogue entry. Call inside the registering transaction.
 */
export async function insertRepositoryWithSoftware(tx: Executor, input: { url: string; organisationId: string; hostKind: HostKind }) {
  const name = nameFromUrl(input.url);
  const software = await insertSoftware(tx, {
    name,
    slug: await uniqueSlug(slugify(name), (s) => softwareSlugTaken(tx, s)),
    organisationId: input.organisationId,
    repositoryUrl: input.url,
    listed: false,
  });
  return insertRepository(tx, {
    url: input.url,
    organisationId: input.organisationId,
    softwareId: software.id,
    hostKind: input.hostKind,
    crawlState: 'queued',
  });
}

import { Feed, type Item } from 'feed';
import type { Executor } from '../../db/client';
import { listRecentReleases, listRecentSoftware, type RecentReleaseRow, type ReleaseFeedFilter } from '../../db/queries/exports.queries';
import { nameUuid } from '../../lib/name-uuid';
import { publicBase, publicLink } from '../../lib/public-url';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import { getSoftwareRow } from '../catalogue/software-lookup';
import type { OriginFilter } from '../../db/queries/federation-provenance.queries';
import type { FederatedType } from '../../db/schema/federation';
import { parseOrigin, provenanceById, type Provenance } from '../federation/provenance';

export type FeedPage = { page: number; limit: number };
export type FeedAnswer = { xml: string; links: { rel: string; href: string }[] };

/** What an empty feed states as its last change: a fixed instant, so two requests give the same document. */
const NEVER = new Date(0);

/** Feed and entry titles and summaries are `type="html"`: text from the catalogue is escaped, never markup. */
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * `query`: the filter a feed was asked with (`origin=…`), part of its identity: a filtered feed is
 * another feed (its own id, RFC 4287 4.2.6) and its paging links keep the filter.
 */
type FeedFrame = { path: string; title: string; subtitle: string; publicUrl: string | null; query?: string };

/**
 * A feed's atom:id (RFC 4287 4.2.6: permanent and universally unique): a name-based UUID of the
 * feed's address at its hub, `{HUB_PUBLIC_URL}{path}[?filter]` without paging. The hub's public URL
 * is its id among hubs (federation design), so two hubs' feeds of the same path differ, and a peer
 * can name another hub's feed (atom:source) without asking it. A hub without HUB_PUBLIC_URL has no
 * such identity: its feeds are named by path alone, the same as every other such hub's.
 */
export function feedId(hub: string | null, path: string, query?: string): string {
  const address = `${hub ? publicBase(hub) : ''}${path}${query ? `?${query}` : ''}`;
  return `urn:uuid:${nameUuid(address)}`;
}

/**
 * The feed of its origin hub a mirrored entry comes from, as atom:source (RFC 4287 4.2.11): the
 * entry keeps its origin's atom:id (the record's UUID is the same on every hub), and atom:source
 * says which feed it was first published in. Title and updated of that feed are not known here, so
 * only its id and address.
 */
type EntrySource = { id: string; href: string };

function sourceXml(source: EntrySource): string {
  return `<source><id>${escapeXml(source.id)}</id><link rel="self" href="${escapeXml(source.href)}"/></source>`;
}

const escapeXml = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/**
 * Adds atom:source to the entries that have one. The `feed` package has no atom:source, so it
 * goes in after rendering: entries come out in order, and `</entry>` cannot occur inside one
 * (every text in it is escaped), so the document splits into one part per entry.
 */
function withSources(xml: string, sources: (EntrySource | null)[]): string {
  if (sources.every((source) => source === null)) return xml;
  const parts = xml.split('</entry>');
  return parts.map((part, i) => (sources[i] ? `${part}${sourceXml(sources[i])}` : part)).join('</entry>');
}

/**
 * An Atom feed (RFC 4287) with the `feed` package. The feed's id is feedId (unique per hub and per
 * feed); an entry's is the UUID of its software or release, the same at its origin and on every
 * hub mirroring it, and never changes. Links point at the hub under HUB_PUBLIC_URL, else at the
 * repository or release page. Paging (RFC 5005) is in Link headers.
 */
function atom(frame: FeedFrame, entries: { item: Item; source: EntrySource | null }[], newest: Date, paging: FeedPage & { more: boolean }): FeedAnswer {
  const filter = frame.query ? `${frame.query}&` : '';
  const pageUrl = (page: number) => publicLink(frame.publicUrl, `${frame.path}?${filter}limit=${paging.limit}&page=${page}`);
  const feed = new Feed({
    id: feedId(frame.publicUrl, frame.path, frame.query),
    title: frame.title,
    description: frame.subtitle,
    updated: newest,
    generator: 'transferhub',
    author: { name: 'transferhub' },
    ...(frame.publicUrl ? { link: publicBase(frame.publicUrl), feed: pageUrl(paging.page) } : {}),
  });
  for (const entry of entries) feed.addItem(entry.item);
  const links = [{ rel: 'first', href: pageUrl(1) }];
  if (paging.more) links.push({ rel: 'next', href: pageUrl(paging.page + 1) });
  if (paging.page > 1) links.push({ rel: 'prev', href: pageUrl(paging.page - 1) });
  return { xml: withSources(feed.atom1(), entries.map((entry) => entry.source)), links };
}

/** One more row than the page, to know whether a next page exists. */
const window = ({ page, limit }: FeedPage) => ({ offset: (page - 1) * limit, limit: limit + 1 });

function hubLink(publicUrl: string | null, path: string): string | null {
  return publicUrl ? `${publicBase(publicUrl)}${path}` : null;
}

/**
 * What every feed does with its rows: one more row than the page (is there a next page?), the
 * newest row's date (the feed's `updated`, also on later pages), the page's provenance in one
 * lookup (a mirrored entry names its origin hub, originCategory, and its origin's feed,
 * atom:source), and the origin filter as part of the feed's identity and paging links.
 */
async function pagedFeed<Row>(
  db: Executor,
  feed: {
    frame: Omit<FeedFrame, 'query'>;
    /** The unfiltered feed at a mirrored entry's origin hub that holds it (atom:source). */
    originPath: string;
    type: FederatedType;
    origin: OriginFilter | undefined;
    paging: FeedPage;
    rows(window: { offset: number; limit: number }): Promise<Row[]>;
    idOf(row: Row): string;
    dateOf(row: Row): Date;
    entry(row: Row, provenance: Provenance): Item;
  },
): Promise<FeedAnswer> {
  const { paging, origin } = feed;
  const rows = await feed.rows(window(paging));
  const newestRow = paging.page === 1 ? rows[0] : (await feed.rows({ offset: 0, limit: 1 }))[0];
  const shown = rows.slice(0, paging.limit);
  const provenance = await provenanceById(db, feed.type, shown.map(feed.idOf));
  const query = origin ? `origin=${encodeURIComponent(origin === 'local' ? origin : origin.hub)}` : undefined;
  return atom(
    { ...feed.frame, query },
    shown.map((row) => {
      const origin = provenance.get(feed.idOf(row))!;
      const source = origin.origin === 'local' ? null : { id: feedId(origin.origin, feed.originPath), href: `${publicBase(origin.origin)}${feed.originPath}` };
      return { item: feed.entry(row, origin), source };
    }),
    newestRow ? feed.dateOf(newestRow) : NEVER,
    { ...paging, more: rows.length > paging.limit },
  );
}

/**
 * GET /v1/feeds/software.atom: entries as they are created and changed, newest change first; with
 * `origin` (local or a hub id, as the JSON lists take it) only the entries of that origin.
 */
export async function softwareFeed(db: Executor, publicUrl: string | null, query: FeedPage & { origin?: string }): Promise<FeedAnswer> {
  const origin = parseOrigin(query.origin);
  return pagedFeed(db, {
    frame: { path: '/v1/feeds/software.atom', title: 'transferhub: neue und geänderte Software / new and updated software', subtitle: 'Software-Katalog der Kommunen', publicUrl },
    originPath: '/v1/feeds/software.atom',
    type: 'software',
    origin,
    paging: { page: query.page, limit: query.limit },
    rows: (window) => listRecentSoftware(db, { ...window, origin }),
    idOf: (row) => row.software.id,
    dateOf: (row) => row.software.updatedAt,
    entry: ({ software, publisher }, provenance): Item => {
      const summary = software.shortDescriptionDe ?? software.shortDescriptionEn;
      return {
        id: `urn:uuid:${software.id}`,
        title: escapeHtml(software.name),
        link: hubLink(publicUrl, `/v1/software/${software.id}`) ?? software.repositoryUrl ?? `urn:uuid:${software.id}`,
        date: software.updatedAt,
        published: software.createdAt,
        description: summary ? escapeHtml(summary) : undefined,
        author: [{ name: publisher.name }],
        category: [...software.categories.map((term) => ({ term })), ...originCategory(provenance)],
      };
    },
  });
}

export type ReleaseFeedScope = { kind: 'all' } | { kind: 'organisation'; id: string } | { kind: 'software'; id: string };

/**
 * Releases, newest first: of the whole catalogue, of one organisation's entries, or of one entry;
 * with `origin` (local or a hub id, as the JSON lists take it) only the releases of that origin.
 * A mirrored release names its origin hub (releaseEntry).
 */
export async function releasesFeed(db: Executor, publicUrl: string | null, scope: ReleaseFeedScope, query: FeedPage & { origin?: string }): Promise<FeedAnswer> {
  const origin = parseOrigin(query.origin);
  let filter: ReleaseFeedFilter = { origin };
  let frame: Omit<FeedFrame, 'publicUrl'> = { path: '/v1/feeds/releases.atom', title: 'transferhub: Releases', subtitle: 'Neue Releases im Software-Katalog / new releases in the catalogue' };
  if (scope.kind === 'organisation') {
    const organisation = await getOrganisationRow(db, scope.id);
    filter = { ...filter, organisationId: organisation.id };
    frame = { path: `/v1/organisations/${organisation.id}/releases.atom`, title: `${organisation.name}: Releases`, subtitle: 'Releases der Software dieser Organisation / releases of this organisation’s software' };
  } else if (scope.kind === 'software') {
    const software = await getSoftwareRow(db, scope.id);
    filter = { ...filter, softwareId: software.id };
    frame = { path: `/v1/software/${software.id}/releases.atom`, title: `${software.name}: Releases`, subtitle: 'Releases dieser Software / releases of this software' };
  }
  return pagedFeed(db, {
    frame: { ...frame, publicUrl },
    // The origin's feed of all its releases: the organisation of a release feed here may not be the origin's.
    originPath: '/v1/feeds/releases.atom',
    type: 'release',
    origin,
    paging: { page: query.page, limit: query.limit },
    rows: (window) => listRecentReleases(db, { ...filter, ...window }),
    idOf: (row) => row.release.id,
    dateOf: releaseDate,
    entry: (row, provenance) => releaseEntry(publicUrl, row, provenance),
  });
}

const releaseDate = (row: RecentReleaseRow) => row.release.releasedAt ?? row.release.createdAt;

/**
 * The category scheme naming a mirrored entry's origin hub (term: the hub id, as provenance.origin
 * and the `origin` filter state it). An atom:category besides the atom:source: feed readers show
 * categories (as tags or labels) and can filter by them, while most ignore atom:source; the same
 * scheme on every hub, so a reader of several hubs' feeds sees one kind of tag.
 */
export const ORIGIN_CATEGORY_SCHEME = 'urn:transferhub:origin-hub';

function originCategory(provenance: Provenance): NonNullable<Item['category']> {
  if (provenance.origin === 'local') return [];
  return [{ scheme: ORIGIN_CATEGORY_SCHEME, term: provenance.origin, name: `Von Hub / from hub ${provenance.origin}` }];
}

function releaseEntry(publicUrl: string | null, { release, software, publisher }: RecentReleaseRow, provenance: Provenance): Item {
  return {
    id: `urn:uuid:${release.id}`,
    title: escapeHtml(`${software.name} ${release.version}`),
    link: release.url ?? hubLink(publicUrl, `/v1/software/${software.id}/releases`) ?? software.repositoryUrl ?? `urn:uuid:${release.id}`,
    // `updated` is when the release came out; one the crawler found without a date, when the hub learnt of it.
    date: releaseDate({ release, software, publisher }),
    published: release.releasedAt ?? undefined,
    // Release notes are Markdown written by maintainers: shown as text, never as markup.
    content: release.notes ? `<pre>${escapeHtml(release.notes)}</pre>` : undefined,
    author: [{ name: publisher.name }],
    category: originCategory(provenance),
  };
}

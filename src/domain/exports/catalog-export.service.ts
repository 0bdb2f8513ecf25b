import type { Readable } from 'node:stream';
import type { Quad } from 'n3';
import type { Executor } from '../../db/client';
import { catalogueModifiedAt, countCatalogue, listCatalogueRows } from '../../db/queries/exports.queries';
import { CatalogueIris, catalogQuads, pageQuads, pagingQuads } from './dcat-graph';
import { jsonLdStream, turtleStream } from './rdf-writers';

/** Rows read per query while the whole catalogue streams: a few hundred KB of quads at a time, ~200 queries for 100,000 entries. */
const STREAM_BATCH = 500;

export type CatalogFormat = 'turtle' | 'jsonld';

export type CatalogRequest = {
  format: CatalogFormat;
  /** Numbered page (1-based); absent: the whole catalogue in one streamed document. */
  page?: number;
  limit: number;
  modifiedSince?: Date;
  /** The route's path and query without `page`, to build page links (`/v1/catalog.ttl?limit=50`). */
  pageUrl: (page: number) => string;
};

export type CatalogAnswer = { body: Readable; links: { rel: string; href: string }[] };

/**
 * GET /v1/catalog.ttl and /v1/catalog.jsonld: the catalogue as DCAT-AP 3. With `page`, one page
 * and ckanext-dcat's paging description (and Link headers); without, every entry, streamed.
 */
export async function exportCatalog(db: Executor, publicUrl: string | null, request: CatalogRequest): Promise<CatalogAnswer> {
  const iris = new CatalogueIris(publicUrl);
  const header = catalogQuads(iris, await catalogueModifiedAt(db));
  const write = request.format === 'turtle' ? turtleStream : jsonLdStream;
  if (request.page === undefined) {
    return { body: write(wholeCatalogue(db, iris, header, request.modifiedSince)), links: [] };
  }
  const total = await countCatalogue(db, { modifiedSince: request.modifiedSince });
  const lastPage = Math.max(1, Math.ceil(total / request.limit));
  const paging = {
    self: request.pageUrl(request.page),
    first: request.pageUrl(1),
    last: request.pageUrl(lastPage),
    next: request.page < lastPage ? request.pageUrl(request.page + 1) : null,
    previous: request.page > 1 ? request.pageUrl(Math.min(request.page - 1, lastPage)) : null,
    total,
    perPage: request.limit,
  };
  const rows = await listCatalogueRows(db, { modifiedSince: request.modifiedSince, offset: (request.page - 1) * request.limit, limit: request.limit });
  async function* chunks() {
    yield [...header, ...pagingQuads(paging)];
    yield pageQuads(iris, rows);
  }
  const links = [
    { rel: 'first', href: paging.first },
    { rel: 'last', href: paging.last },
    ...(paging.next ? [{ rel: 'next', href: paging.next }] : []),
    ...(paging.previous ? [{ rel: 'prev', href: paging.previous }] : []),
  ];
  return { body: write(chunks()), links };
}

/** Every entry, a batch at a time in slug order (keyset: each query costs the same however deep). */
async function* wholeCatalogue(db: Executor, iris: CatalogueIris, header: Quad[], modifiedSince?: Date): AsyncGenerator<Quad[]> {
  yield header;
  let afterSlug: string | undefined;
  for (;;) {
    const rows = await listCatalogueRows(db, { modifiedSince, afterSlug, limit: STREAM_BATCH });
    if (rows.length === 0) return;
    yield pageQuads(iris, rows);
    if (rows.length < STREAM_BATCH) return;
    afterSlug = rows[rows.length - 1]!.software.slug;
  }
}

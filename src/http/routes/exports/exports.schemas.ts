import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ProblemSchema } from '../../schemas/common';

/**
 * A non-JSON answer, documented with its media type. The schema is an OpenAPI `content` map, so
 * Fastify does not serialise the payload (the handler sends text or a stream as it is).
 */
export function textAnswer(mediaType: string, description: string) {
  // Typed as text or a stream: large exports are sent as a stream of the same text.
  return { description, content: { [mediaType]: { schema: Type.Unsafe<string | Readable>({ type: 'string' }) } } };
}

export const notFound = { 404: ProblemSchema };

export const CatalogQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number (1-based); without page and limit the whole catalogue is streamed as one document' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Entries per page (default 100 when paging)' })),
  modified_since: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries changed at or after this time (ISO 8601 date-time, as ckanext-dcat)' })),
});

const RepositoryList = Type.Object({ repositories: Type.Array(Type.Object({ url: Type.String({ description: 'Canonical repository URL' }) })) });

/** Documented as the JSON it is; sent as a stream of that JSON (Fastify does not serialise streams). */
export const RepositoryListAnswer = {
  description: 'Repository URLs of the catalogue, for other crawlers',
  content: { 'application/json': { schema: Type.Unsafe<Readable>(RepositoryList) } },
};

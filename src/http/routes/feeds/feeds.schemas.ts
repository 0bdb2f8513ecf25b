import { Type } from 'typebox';
import { OriginQuery } from '../../schemas/common';

export const FeedQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Page number (1-based); the Link header names next and prev' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Entries per page (1–100)' }),
});

/** The release feeds also filter by origin, as the release list does; a mirrored release names its origin hub in an atom:category. */
export const ReleaseFeedQuery = Type.Object({ ...FeedQuery.properties, origin: Type.Optional(OriginQuery) });

import { Type } from 'typebox';
import { OriginQuery } from '../../schemas/common';

const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Page number (1-based); the Link header names next and prev' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Entries per page (1–100)' }),
});

/** The feeds also filter by origin, as the lists do; a mirrored entry or release names its origin hub in an atom:category. */
export const FeedQuery = Type.Object({ ...PageQuery.properties, origin: Type.Optional(OriginQuery) });

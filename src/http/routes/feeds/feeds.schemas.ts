import { Type } from 'typebox';

export const FeedQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Page number (1-based); the Link header names next and prev' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Entries per page (1–100)' }),
});

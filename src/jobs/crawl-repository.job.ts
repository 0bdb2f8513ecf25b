import { Type } from 'typebox';
import { defineJob } from './contract';

export const crawlRepositoryJob = defineJob({
  name: 'crawl-repository',
  // Ids only: the worker reads everything else, tokens included, from the database and config.
  payload: Type.Object({
    repositoryId: Type.String({ format: 'uuid' }),
    reason: Type.Union([Type.Literal('registered'), Type.Literal('manual'), Type.Literal('webhook'), Type.Literal('schedule'), Type.Literal('recovered')]),
    // When the crawl was asked for: a check that finds nothing new does not overwrite the outcome
    // of a crawl that finished after this request (that crawl answered it). Optional: older jobs lack it.
    requestedAt: Type.Optional(Type.String({ format: 'date-time' })),
  }, { additionalProperties: false }),
  // 5 attempts with 30 s doubling covers a forge outage of ~15 minutes.
  attempts: 5,
  backoffMs: 30_000,
  // A shallow fetch of a municipal repository takes seconds; 5 minutes means something hangs.
  timeoutMs: 5 * 60_000,
  dedupId: (payload) => `crawl:${payload.repositoryId}`,
});

import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

export const Repository = Type.Object({
  id: Uuid,
  url: Type.String(),
  aliases: Type.Array(Type.String()),
  organisationId: Uuid,
  softwareId: Nullable(Uuid),
  hostKind: Type.Enum(['github', 'gitlab', 'gitea', 'git']),
  defaultBranch: Nullable(Type.String()),
  headCommit: Nullable(Type.String()),
  crawl: Type.Object({
    state: Type.Enum(['queued', 'running', 'succeeded', 'unchanged', 'failed']),
    progress: Nullable(Type.Integer()),
    lastCheckedAt: Nullable(Timestamp),
    lastSuccessAt: Nullable(Timestamp),
    lastError: Nullable(Type.String({ description: 'Why the last crawl failed, in plain words' })),
    lastErrorAt: Nullable(Timestamp),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const RegisterRepositoryBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 500, examples: ['https://github.com/stadt-ulm/mein-projekt'] }),
    organisationId: Type.String({ minLength: 1, maxLength: 200, description: 'UUID or slug' }),
  },
  { additionalProperties: false },
);

export const RepositoryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const CrawlQueued = Type.Object({
  ...Repository.properties,
  jobId: Type.String(),
  deduplicated: Type.Boolean({ description: 'true: joined a crawl already waiting' }),
});

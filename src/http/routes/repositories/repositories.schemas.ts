import { Type } from 'typebox';
import { Cursor, Limit, Multi, Nullable, Page, Timestamp, Uuid } from '../../schemas/common';

export const CrawlStateEnum = Type.Enum(['queued', 'running', 'succeeded', 'unchanged', 'failed']);
const HostKindEnum = Type.Enum(['github', 'gitlab', 'gitea', 'git']);

export const CrawlPause = Type.Object({
  reason: Type.Enum(['repeated-failures', 'software-inactive']),
  since: Nullable(Timestamp),
  message: Type.String(),
}, { description: 'Scheduled crawls stopped; a manual refresh or a webhook resumes them after failures' });

export const Repository = Type.Object({
  id: Uuid,
  url: Type.String(),
  aliases: Type.Array(Type.String()),
  organisationId: Uuid,
  softwareId: Nullable(Uuid),
  hostKind: HostKindEnum,
  defaultBranch: Nullable(Type.String()),
  headCommit: Nullable(Type.String()),
  crawl: Type.Object({
    state: CrawlStateEnum,
    progress: Nullable(Type.Integer()),
    lastCheckedAt: Nullable(Timestamp),
    lastSuccessAt: Nullable(Timestamp),
    lastError: Nullable(Type.String({ description: 'Why the last crawl failed, in plain words' })),
    lastErrorAt: Nullable(Timestamp),
    consecutiveFailures: Type.Integer({ description: 'Crawls in a row that ended failed; 0 after a success' }),
    paused: Nullable(CrawlPause),
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

export const ListRepositoriesQuery = Type.Object(
  {
    organisation: Type.Optional(Multi()),
    host: Type.Optional(Multi(Type.String({ minLength: 1, maxLength: 200, description: 'Host name (github.com) or host kind (github, gitlab, gitea, git)' }))),
    crawlState: Type.Optional(Multi(Type.Enum(['queued', 'running', 'succeeded', 'unchanged', 'failed', 'paused']))),
    url: Type.Optional(Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The repository with this URL, in any spelling registration accepts (.git, trailing slash, host case, git@host:path), also a former URL (alias)',
      examples: ['https://gitlab.opencode.de/ulm/mitmachportal'],
    })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const RepositoryPage = Page(Repository);

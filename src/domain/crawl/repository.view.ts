import type { RepositoryRow } from '../../db/queries/repositories.queries';

export function repositoryView(row: RepositoryRow) {
  return {
    id: row.id,
    url: row.url,
    aliases: row.aliases,
    organisationId: row.organisationId,
    softwareId: row.softwareId,
    hostKind: row.hostKind,
    defaultBranch: row.defaultBranch,
    headCommit: row.headCommit,
    crawl: {
      state: row.crawlState,
      progress: row.crawlProgress,
      lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
      lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type RepositoryView = ReturnType<typeof repositoryView>;

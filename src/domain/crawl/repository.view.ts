import type { RepositoryRow } from '../../db/queries/repositories.queries';

const PAUSE_TEXT = {
  'repeated-failures': 'Scheduled crawls stopped after repeated failures; a manual refresh (POST /v1/repositories/{id}/crawl) or a webhook resumes them.',
  'software-inactive': 'Not crawled while the software entry is deactivated.',
} as const;

/** Why scheduled crawls of a repository stopped, in words; null while they run. */
export function pauseView(row: Pick<RepositoryRow, 'pausedReason' | 'pausedAt'>) {
  if (row.pausedReason === null) return null;
  return { reason: row.pausedReason, since: row.pausedAt?.toISOString() ?? null, message: PAUSE_TEXT[row.pausedReason] };
}

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
      consecutiveFailures: row.consecutiveFailures,
      paused: pauseView(row),
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type RepositoryView = ReturnType<typeof repositoryView>;

/** What a forge API adds to a crawl; every field optional because every forge differs. */
export type ForgeRelease = {
  tag: string;
  name: string | null;
  notes: string | null;
  publishedAt: string | null;
  assets: { name: string; url: string }[];
};

export type ForgeRepoFacts = {
  description: string | null;
  topics: string[];
  stars: number | null;
  forks: number | null;
  archived: boolean;
  homepage: string | null;
  releases: ForgeRelease[];
};

/** A repository found in an organisation's account. */
export type ForgeListedRepo = { url: string; archived: boolean; private: boolean; defaultBranch: string | null; fork: boolean };

/** Conditional requests: a forge answer with its ETag, reused when the forge says 304. */
export type Cached<T> = { etag: string | null; value: T };

export type ForgeCallOptions = { signal?: AbortSignal; token?: string | null };

export class ForgeError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** "https://host/a/b/c" → "a/b/c" (GitLab subgroups have more than two segments). */
export function repoPath(url: string): string {
  return new URL(url).pathname.replace(/^\/+|\/+$/g, '');
}

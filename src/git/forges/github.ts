import { Octokit } from 'octokit';
import { ForgeError, repoPath, type Cached, type ForgeListedRepo, type ForgeRepoFacts } from './types';

export type GithubOptions = { baseUrl: string; token: string | null; signal?: AbortSignal };

/**
 * octokit with its throttling and retry plugins: a rate-limit answer (403/429 with
 * x-ratelimit-reset or retry-after) waits and retries once, then gives up; secondary
 * limits likewise. One retry keeps a crawl within its time limit.
 */
export function githubClient(options: GithubOptions) {
  return new Octokit({
    auth: options.token ?? undefined,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'transferhub-crawler/0.1',
    request: { signal: options.signal },
    throttle: {
      onRateLimit: (_retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
      onSecondaryRateLimit: (_retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1,
    },
    retry: { retries: 2 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

function ownerRepo(url: string): { owner: string; repo: string } {
  const [owner, repo] = repoPath(url).split('/');
  if (!owner || !repo) throw new ForgeError(`${url} is not a GitHub repository URL`, null);
  return { owner, repo };
}

/**
 * Repository facts and releases. The repository call is conditional on the last ETag:
 * a 304 does not count against the rate limit, and then the cached facts stay.
 */
export async function githubRepoFacts(
  options: GithubOptions,
  url: string,
  previous: Cached<ForgeRepoFacts> | null,
): Promise<Cached<ForgeRepoFacts>> {
  const octokit = githubClient(options);
  const { owner, repo } = ownerRepo(url);
  let response;
  try {
    response = await octokit.request('GET /repos/{owner}/{repo}', {
      owner,
      repo,
      headers: previous?.etag ? { 'if-none-match': previous.etag } : {},
    });
  } catch (error) {
    const status = (error as { status?: number }).status ?? null;
    if (status === 304 && previous) return previous;
    throw new ForgeError(`GitHub: ${(error as Error).message}`, status);
  }
  const data = response.data;
  const releases = await octokit.request('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 });
  return {
    etag: (response.headers.etag as string | undefined) ?? null,
    value: {
      description: data.description ?? null,
      topics: data.topics ?? [],
      stars: data.stargazers_count ?? null,
      forks: data.forks_count ?? null,
      archived: data.archived ?? false,
      homepage: data.homepage ?? null,
      releases: releases.data.map((release) => ({
        tag: release.tag_name,
        name: release.name ?? null,
        notes: release.body ?? null,
        publishedAt: release.published_at ?? null,
        assets: release.assets.map((asset) => ({ name: asset.name, url: asset.browser_download_url })),
      })),
    },
  };
}

/** The repositories of an organisation (or, when the name is a user, of that user), page by page. */
export async function githubListRepos(options: GithubOptions, accountUrl: string): Promise<ForgeListedRepo[]> {
  const octokit = githubClient(options);
  const account = repoPath(accountUrl).split('/')[0]!;
  const map = (r: { html_url: string; archived?: boolean; private: boolean; default_branch?: string; fork: boolean }) => ({
    url: r.html_url,
    archived: r.archived ?? false,
    private: r.private,
    defaultBranch: r.default_branch ?? null,
    fork: r.fork,
  });
  try {
    const repos = await octokit.paginate('GET /orgs/{org}/repos', { org: account, per_page: 100, type: 'public' });
    return repos.map(map);
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    const repos = await octokit.paginate('GET /users/{username}/repos', { username: account, per_page: 100 });
    return repos.map(map);
  }
}

export async function githubHasFile(options: GithubOptions, url: string, path: string): Promise<boolean> {
  const { owner, repo } = ownerRepo(url);
  try {
    await githubClient(options).request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

import type { Outbound } from '../outbound';
import { getJson } from './json-api';
import { repoPath, type ForgeListedRepo, type ForgeRepoFacts } from './types';

/** Gitea and Forgejo share this API (/api/v1). */
export type GiteaOptions = { origin: string; token: string | null; signal?: AbortSignal; outbound: Outbound };

type Repo = {
  html_url: string;
  description: string;
  topics?: string[];
  stars_count?: number;
  forks_count?: number;
  archived?: boolean;
  private?: boolean;
  website?: string;
  default_branch?: string;
  fork?: boolean;
};
type Release = { tag_name: string; name: string; body: string; published_at?: string; assets?: { name: string; browser_download_url: string }[] };

const api = (options: GiteaOptions) => `${options.origin.replace(/\/+$/, '')}/api/v1`;
const headers = (options: GiteaOptions): Record<string, string> => (options.token ? { authorization: `token ${options.token}` } : {});

export async function giteaRepoFacts(options: GiteaOptions, url: string): Promise<ForgeRepoFacts> {
  const path = repoPath(url);
  const repo = (await getJson<Repo>(`${api(options)}/repos/${path}`, { headers: headers(options), signal: options.signal, outbound: options.outbound })).body!;
  const releases = await getJson<Release[]>(`${api(options)}/repos/${path}/releases?limit=50`, { headers: headers(options), signal: options.signal, outbound: options.outbound });
  return {
    description: repo.description || null,
    topics: repo.topics ?? [],
    stars: repo.stars_count ?? null,
    forks: repo.forks_count ?? null,
    archived: repo.archived ?? false,
    homepage: repo.website || null,
    releases: (releases.body ?? []).map((r) => ({
      tag: r.tag_name,
      name: r.name || null,
      notes: r.body || null,
      publishedAt: r.published_at ?? null,
      assets: (r.assets ?? []).map((a) => ({ name: a.name, url: a.browser_download_url })),
    })),
  };
}

export async function giteaListRepos(options: GiteaOptions, orgUrl: string): Promise<ForgeListedRepo[]> {
  const org = repoPath(orgUrl).split('/')[0]!;
  const found: ForgeListedRepo[] = [];
  // Gitea caps limit at 50 by default; stop on a short page.
  for (let page = 1; page < 1000; page++) {
    const answer = await getJson<Repo[]>(`${api(options)}/orgs/${encodeURIComponent(org)}/repos?limit=50&page=${page}`, {
      headers: headers(options),
      signal: options.signal,
      outbound: options.outbound,
    });
    const repos = answer.body ?? [];
    for (const r of repos) {
      found.push({ url: r.html_url, archived: r.archived ?? false, private: r.private ?? false, defaultBranch: r.default_branch ?? null, fork: r.fork ?? false });
    }
    if (repos.length < 50) break;
  }
  return found;
}

export async function giteaHasFile(options: GiteaOptions, url: string, path: string): Promise<boolean> {
  try {
    await getJson(`${api(options)}/repos/${repoPath(url)}/contents/${encodeURIComponent(path)}`, { headers: headers(options), signal: options.signal, outbound: options.outbound });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

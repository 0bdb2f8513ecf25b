import type { Outbound } from '../outbound';
import { getJson } from './json-api';
import { repoPath, type ForgeListedRepo, type ForgeRepoFacts } from './types';

export type GitlabOptions = { origin: string; token: string | null; signal?: AbortSignal; outbound: Outbound };

type Project = {
  id: number;
  web_url: string;
  description: string | null;
  topics?: string[];
  tag_list?: string[];
  star_count?: number;
  forks_count?: number;
  archived?: boolean;
  visibility?: string;
  default_branch?: string | null;
  forked_from_project?: unknown;
};
type Release = { tag_name: string; name: string | null; description: string | null; released_at?: string | null; assets?: { links?: { name: string; url: string }[] } };

function headers(options: GitlabOptions): Record<string, string> {
  return options.token ? { 'private-token': options.token } : {};
}

const api = (options: GitlabOptions) => `${options.origin.replace(/\/+$/, '')}/api/v4`;

export async function gitlabRepoFacts(options: GitlabOptions, url: string): Promise<ForgeRepoFacts> {
  const id = encodeURIComponent(repoPath(url));
  const project = await getJson<Project>(`${api(options)}/projects/${id}`, { headers: headers(options), signal: options.signal, outbound: options.outbound });
  const releases = await getJson<Release[]>(`${api(options)}/projects/${id}/releases?per_page=100`, {
    headers: headers(options),
    signal: options.signal,
      outbound: options.outbound,
  });
  const p = project.body!;
  return {
    description: p.description ?? null,
    topics: p.topics ?? p.tag_list ?? [],
    stars: p.star_count ?? null,
    forks: p.forks_count ?? null,
    archived: p.archived ?? false,
    homepage: null,
    releases: (releases.body ?? []).map((r) => ({
      tag: r.tag_name,
      name: r.name,
      notes: r.description,
      publishedAt: r.released_at ?? null,
      assets: (r.assets?.links ?? []).map((link) => ({ name: link.name, url: link.url })),
    })),
  };
}

/** All projects of a group including its subgroups, following GitLab's page headers. */
export async function gitlabListRepos(options: GitlabOptions, groupUrl: string): Promise<ForgeListedRepo[]> {
  const group = encodeURIComponent(repoPath(groupUrl));
  const found: ForgeListedRepo[] = [];
  let page: string | null = '1';
  // 1000 pages of 100 is far beyond any municipal group; the bound stops a looping server.
  for (let guard = 0; page && guard < 1000; guard++) {
    const answer: Awaited<ReturnType<typeof getJson<Project[]>>> = await getJson<Project[]>(
      `${api(options)}/groups/${group}/projects?include_subgroups=true&per_page=100&page=${page}&archived=false`,
      { headers: headers(options), signal: options.signal, outbound: options.outbound },
    );
    for (const p of answer.body ?? []) {
      found.push({
        url: p.web_url,
        archived: p.archived ?? false,
        private: p.visibility !== undefined && p.visibility !== 'public',
        defaultBranch: p.default_branch ?? null,
        fork: p.forked_from_project !== undefined,
      });
    }
    page = answer.nextPage;
  }
  return found;
}

export async function gitlabHasFile(options: GitlabOptions, url: string, path: string, ref: string | null): Promise<boolean> {
  const id = encodeURIComponent(repoPath(url));
  try {
    await getJson(`${api(options)}/projects/${id}/repository/files/${encodeURIComponent(path)}?ref=${encodeURIComponent(ref ?? 'HEAD')}`, {
      headers: headers(options),
      signal: options.signal,
      outbound: options.outbound,
    });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

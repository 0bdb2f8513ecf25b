import type { HostKind } from '../../db/schema/repositories';

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Where a file of a repository is shown (blob, at the branch: the current file) and served raw
 * (at the crawled commit: the README shows the images it was written with), per forge. GitHub,
 * GitLab (gitlab.opencode.de too), Gitea/Forgejo/Codeberg and Bitbucket serve files under known
 * paths; a plain git host serves only the git protocol, so there is no URL: null.
 */
export function fileUrls(input: { url: string; hostKind: HostKind; branch: string; commit: string }): {
  blob(path: string): string | null;
  raw(path: string): string | null;
} {
  const { url, hostKind } = input;
  const branch = encodeURIComponent(input.branch);
  const commit = encodeURIComponent(input.commit);
  const host = new URL(url).hostname;
  const bitbucket = hostKind === 'git' && host === 'bitbucket.org';
  return {
    blob(path) {
      const p = encodePath(path);
      if (hostKind === 'github') return `${url}/blob/${branch}/${p}`;
      if (hostKind === 'gitlab') return `${url}/-/blob/${branch}/${p}`;
      if (hostKind === 'gitea') return `${url}/src/branch/${branch}/${p}`;
      if (bitbucket) return `${url}/src/${branch}/${p}`;
      return null;
    },
    raw(path) {
      const p = encodePath(path);
      if (hostKind === 'github') {
        return host === 'github.com' ? `https://raw.githubusercontent.com${new URL(url).pathname}/${commit}/${p}` : `${url}/raw/${commit}/${p}`;
      }
      if (hostKind === 'gitlab') return `${url}/-/raw/${commit}/${p}`;
      if (hostKind === 'gitea') return `${url}/raw/commit/${commit}/${p}`;
      if (bitbucket) return `${url}/raw/${commit}/${p}`;
      return null;
    },
  };
}

export function tagUrl(input: { url: string; hostKind: HostKind; tag: string }): string | null {
  const tag = encodeURIComponent(input.tag);
  if (input.hostKind === 'github') return `${input.url}/releases/tag/${tag}`;
  if (input.hostKind === 'gitlab') return `${input.url}/-/tags/${tag}`;
  if (input.hostKind === 'gitea') return `${input.url}/releases/tag/${tag}`;
  return null;
}

import type { HostKind } from '../../db/schema/repositories';

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Where a file of a repository is shown (blob) and served raw, per host kind. Plain git
 * hosts have no web view we know of: the repository URL plus the path is a best effort.
 */
export function fileUrls(input: { url: string; hostKind: HostKind; branch: string }) {
  const { url, hostKind } = input;
  const branch = encodeURIComponent(input.branch);
  const host = new URL(url).hostname;
  return {
    blob(path: string): string {
      const p = encodePath(path);
      if (hostKind === 'github') return `${url}/blob/${branch}/${p}`;
      if (hostKind === 'gitlab') return `${url}/-/blob/${branch}/${p}`;
      if (hostKind === 'gitea') return `${url}/src/branch/${branch}/${p}`;
      return `${url}/${p}`;
    },
    raw(path: string): string {
      const p = encodePath(path);
      if (hostKind === 'github') {
        return host === 'github.com' ? `https://raw.githubusercontent.com${new URL(url).pathname}/${branch}/${p}` : `${url}/raw/${branch}/${p}`;
      }
      if (hostKind === 'gitlab') return `${url}/-/raw/${branch}/${p}`;
      if (hostKind === 'gitea') return `${url}/raw/branch/${branch}/${p}`;
      return `${url}/${p}`;
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

import { BadRequest } from './errors';

/**
 * Canonical form of a git repository URL, so one repository has one row whatever
 * spelling users register: https scheme kept as given (http stays http for local
 * hosts), host lower-cased, default port, credentials, query, fragment, trailing
 * slashes and `.git` removed. Path case is kept: Gitea and plain git hosts are
 * case-sensitive.
 */
export function normaliseRepositoryUrl(input: string): string {
  let raw = input.trim();
  // scp-like syntax git@host:owner/repo.git
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(raw);
  if (scp) raw = `https://${scp[1]}/${scp[2]}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest(`"${input}" is not a URL.`, [{ field: 'url', message: 'not a URL' }]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BadRequest('Only http(s) git URLs can be crawled.', [{ field: 'url', message: 'must be http or https' }]);
  }
  let path = url.pathname.replace(/\/+$/g, '').replace(/\.git$/i, '').replace(/\/+$/g, '');
  if (path === '' || path === '/') {
    throw new BadRequest('The URL names a host, not a repository.', [{ field: 'url', message: 'missing repository path' }]);
  }
  path = path.replace(/\/{2,}/g, '/');
  const port = url.port ? `:${url.port}` : '';
  return `${url.protocol}//${url.hostname.toLowerCase()}${port}${path}`;
}

/** Host kind from well-known hosts; anything else is crawled as plain git. */
export function guessHostKind(canonicalUrl: string): 'github' | 'gitlab' | 'gitea' | 'git' {
  const host = new URL(canonicalUrl).hostname;
  if (host === 'github.com') return 'github';
  if (host === 'gitlab.com' || host.startsWith('gitlab.') || host === 'gitlab.opencode.de') return 'gitlab';
  if (host === 'codeberg.org' || host.startsWith('gitea.') || host.startsWith('forgejo.')) return 'gitea';
  return 'git';
}

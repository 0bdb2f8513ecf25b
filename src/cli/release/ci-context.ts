import type { CiVariables } from '../cli-config.js';

export type CiKind = 'github' | 'forgejo' | 'gitea' | 'gitlab';

/** What a CI job tells about the release it runs for; every field null outside a CI tag pipeline. */
export type CiRelease = {
  ci: CiKind | null;
  /** The tag the pipeline runs for; null in a branch pipeline. */
  tag: string | null;
  /** The repository's web address, matched against the hub's registered repositories. */
  repositoryUrl: string | null;
  /** The forge's page of the release (GitHub, Forgejo, Gitea: /releases/tag/…; GitLab: /-/releases/…). */
  releaseUrl: string | null;
};

/**
 * Forgejo and Gitea Actions set the GITHUB_* variables GitHub Actions sets (and GITHUB_ACTIONS=true),
 * Forgejo also FORGEJO_* twins: one reading serves all three, the native names first.
 */
export function ciRelease(ci: CiVariables): CiRelease {
  if (ci.GITLAB_CI === 'true' || ci.CI_PROJECT_URL) {
    const tag = ci.CI_COMMIT_TAG ?? null;
    const repositoryUrl = ci.CI_PROJECT_URL ?? null;
    return { ci: 'gitlab', tag, repositoryUrl, releaseUrl: tag && repositoryUrl ? `${repositoryUrl}/-/releases/${pathOf(tag)}` : null };
  }
  const forgejo = ci.FORGEJO_ACTIONS === 'true' || ci.FORGEJO_SERVER_URL !== undefined;
  const kind: CiKind | null = forgejo ? 'forgejo' : ci.GITEA_ACTIONS === 'true' ? 'gitea' : ci.GITHUB_ACTIONS === 'true' || ci.GITHUB_REPOSITORY ? 'github' : null;
  if (kind === null) return { ci: null, tag: null, repositoryUrl: null, releaseUrl: null };
  const server = ci.FORGEJO_SERVER_URL ?? ci.GITHUB_SERVER_URL ?? (kind === 'github' ? 'https://github.com' : null);
  const repository = ci.FORGEJO_REPOSITORY ?? ci.GITHUB_REPOSITORY ?? null;
  const repositoryUrl = server && repository ? `${server.replace(/\/+$/, '')}/${repository}` : null;
  const tag = actionsTag(ci);
  return { ci: kind, tag, repositoryUrl, releaseUrl: tag && repositoryUrl ? `${repositoryUrl}/releases/tag/${pathOf(tag)}` : null };
}

/** The tag of a tag push: the ref type says so, or (runners without GITHUB_REF_TYPE) the full ref starts with refs/tags/. */
function actionsTag(ci: CiVariables): string | null {
  const ref = ci.FORGEJO_REF ?? ci.GITHUB_REF;
  if (ref?.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  const type = ci.FORGEJO_REF_TYPE ?? ci.GITHUB_REF_TYPE;
  const name = ci.FORGEJO_REF_NAME ?? ci.GITHUB_REF_NAME;
  return type === 'tag' && name ? name : null;
}

/** A tag in a URL path: each part encoded, the slashes of "release/1.2" kept as forges show them. */
function pathOf(tag: string): string {
  return tag.split('/').map(encodeURIComponent).join('/');
}

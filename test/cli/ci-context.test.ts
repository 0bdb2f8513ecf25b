import { describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/cli/cli-config';
import { ciRelease } from '../../src/cli/release/ci-context';
import { tagNotes } from '../../src/cli/release/tag-info';

const ci = (env: Record<string, string>) => ciRelease(loadCliConfig(env).ci);

describe('what a CI job tells about its release', () => {
  it('GitHub Actions: the tag from GITHUB_REF_NAME, the repository from GITHUB_SERVER_URL and GITHUB_REPOSITORY', () => {
    expect(ci({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'stadt-ulm/app', GITHUB_REF: 'refs/tags/v2.0.0', GITHUB_REF_NAME: 'v2.0.0', GITHUB_REF_TYPE: 'tag' })).toEqual({
      ci: 'github',
      tag: 'v2.0.0',
      repositoryUrl: 'https://github.com/stadt-ulm/app',
      releaseUrl: 'https://github.com/stadt-ulm/app/releases/tag/v2.0.0',
    });
  });

  it('Forgejo Actions: the FORGEJO_* variables first, the GITHUB_* twins otherwise', () => {
    expect(ci({ FORGEJO_ACTIONS: 'true', GITHUB_ACTIONS: 'true', FORGEJO_SERVER_URL: 'https://codeberg.org/', FORGEJO_REPOSITORY: 'ulm/app', GITHUB_REF: 'refs/tags/1.0', GITHUB_REF_NAME: '1.0' })).toEqual({
      ci: 'forgejo',
      tag: '1.0',
      repositoryUrl: 'https://codeberg.org/ulm/app',
      releaseUrl: 'https://codeberg.org/ulm/app/releases/tag/1.0',
    });
  });

  it('Gitea Actions: GITEA_ACTIONS with the GITHUB_* variables; a tag with a slash keeps it in the URL', () => {
    expect(ci({ GITEA_ACTIONS: 'true', GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://gitea.stadt.de', GITHUB_REPOSITORY: 'it/app', GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'release/1.2 beta' })).toMatchObject({
      ci: 'gitea',
      tag: 'release/1.2 beta',
      releaseUrl: 'https://gitea.stadt.de/it/app/releases/tag/release/1.2%20beta',
    });
  });

  it('GitLab CI: CI_COMMIT_TAG and CI_PROJECT_URL; the release page is /-/releases/', () => {
    expect(ci({ GITLAB_CI: 'true', CI_COMMIT_TAG: 'v3.1.0', CI_PROJECT_URL: 'https://gitlab.opencode.de/ulm/app' })).toEqual({
      ci: 'gitlab',
      tag: 'v3.1.0',
      repositoryUrl: 'https://gitlab.opencode.de/ulm/app',
      releaseUrl: 'https://gitlab.opencode.de/ulm/app/-/releases/v3.1.0',
    });
  });

  it('a branch pipeline has no tag; outside CI nothing is known', () => {
    expect(ci({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'a/b', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' }).tag).toBeNull();
    expect(ci({ GITLAB_CI: 'true', CI_PROJECT_URL: 'https://gitlab.com/a/b' }).tag).toBeNull();
    expect(ci({})).toEqual({ ci: null, tag: null, repositoryUrl: null, releaseUrl: null });
  });

  it('TRANSFERHUB_URL must be an http(s) URL; a trailing slash is dropped', () => {
    expect(loadCliConfig({ TRANSFERHUB_URL: 'https://hub.example.org/' }).hubUrl).toBe('https://hub.example.org');
    expect(() => loadCliConfig({ TRANSFERHUB_URL: 'hub.example.org' })).toThrow(/not a URL/);
    expect(() => loadCliConfig({ TRANSFERHUB_URL: 'ftp://hub.example.org' })).toThrow(/http or https/);
  });
});

describe('release notes from a tag message', () => {
  it('a message that only names the version is no notes (as the crawler reads it); a signature is cut off', () => {
    expect(tagNotes('Version 1.4.0\n', 'v1.4.0')).toBeNull();
    expect(tagNotes('v1.4.0', 'v1.4.0')).toBeNull();
    expect(tagNotes('  \n', 'v1.4.0')).toBeNull();
    expect(tagNotes('Neue Module\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n', 'v1.4.0')).toBe('Neue Module');
  });
});

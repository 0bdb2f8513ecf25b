import { UsageError } from './commands/exit-codes.js';

type Env = Record<string, string | undefined>;

/** The CI's own variables a release push reads (GitHub, Forgejo and Gitea Actions; GitLab CI), as set. */
export const CI_VARIABLES = [
  'GITHUB_ACTIONS', 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_REF', 'GITHUB_REF_NAME', 'GITHUB_REF_TYPE',
  'GITEA_ACTIONS', 'FORGEJO_ACTIONS', 'FORGEJO_SERVER_URL', 'FORGEJO_REPOSITORY', 'FORGEJO_REF', 'FORGEJO_REF_NAME', 'FORGEJO_REF_TYPE',
  'GITLAB_CI', 'CI_COMMIT_TAG', 'CI_PROJECT_URL',
] as const;
export type CiVariables = Readonly<Partial<Record<(typeof CI_VARIABLES)[number], string>>>;

/** What the `transferhub` command reads from its environment, validated once (the CLI's src/config.ts). */
export type CliConfig = Readonly<{
  /** TRANSFERHUB_URL without a trailing slash; null when unset (commands that talk to a hub refuse to start). */
  hubUrl: string | null;
  /** TRANSFERHUB_TOKEN: a publish token of the organisation that owns the software. */
  token: string | null;
  ci: CiVariables;
}>;

/**
 * The CLI's counterpart of loadConfig: the one place the command reads its environment, so
 * commands take the result and tests pass an environment of their own. A wrong value is a
 * configuration error (exit 2) before anything is sent.
 */
export function loadCliConfig(env: Env = process.env): CliConfig {
  const ci: Partial<Record<(typeof CI_VARIABLES)[number], string>> = {};
  for (const name of CI_VARIABLES) {
    const value = env[name]?.trim();
    if (value) ci[name] = value;
  }
  return Object.freeze({ hubUrl: hubUrl(env.TRANSFERHUB_URL), token: env.TRANSFERHUB_TOKEN?.trim() || null, ci: Object.freeze(ci) });
}

function hubUrl(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`TRANSFERHUB_URL is not a URL: "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UsageError(`TRANSFERHUB_URL must use http or https, got "${parsed.protocol}"`);
  // A hub may live under a path (https://example.org/hub); requests append /v1/… to it.
  return value.replace(/\/+$/, '');
}

import type { HostKind } from '../../db/schema/repositories';
import { giteaRepoFacts } from '../../git/forges/gitea';
import { githubRepoFacts } from '../../git/forges/github';
import { gitlabRepoFacts } from '../../git/forges/gitlab';
import type { Cached, ForgeRepoFacts } from '../../git/forges/types';
import type { HubContext } from '../context';
import { outboundOf } from './outbound-of';

export type ForgeFacts = {
  /** Stored in software.forge: the facts, where they came from, and the ETag for the next conditional request. */
  facts: Record<string, unknown>;
  /** Release notes by tag name, for releases the crawl creates from tags. */
  releaseNotes: Record<string, string>;
};

/** A forge answering slowly must not eat the crawl's time: 20 s covers two pages and one rate-limit retry. */
const FORGE_TIME_LIMIT_MS = 20_000;

/**
 * Optional enrichment from the forge's API. Never required: any failure (rate limit,
 * outage, unknown host) is logged and the crawl goes on with what git gave it.
 * Tokens come from the configuration, never from a job payload; the GitLab token is
 * sent only to gitlab.com, so it cannot leak to another instance.
 */
export async function enrichFromForge(
  ctx: HubContext,
  input: { url: string; hostKind: HostKind; previous: Record<string, unknown>; signal?: AbortSignal },
): Promise<ForgeFacts | null> {
  if (input.hostKind === 'git') return null;
  const signal = AbortSignal.any([AbortSignal.timeout(FORGE_TIME_LIMIT_MS), ...(input.signal ? [input.signal] : [])]);
  const origin = new URL(input.url).origin;
  try {
    let cached: Cached<ForgeRepoFacts>;
    if (input.hostKind === 'github') {
      const previous = input.previous.etag && input.previous.facts
        ? ({ etag: input.previous.etag as string, value: input.previous.facts as ForgeRepoFacts } satisfies Cached<ForgeRepoFacts>)
        : null;
      cached = await githubRepoFacts({ baseUrl: ctx.config.githubApiUrl, token: ctx.config.githubToken, signal }, input.url, previous);
    } else if (input.hostKind === 'gitlab') {
      const token = new URL(input.url).hostname === 'gitlab.com' ? ctx.config.gitlabToken : null;
      cached = { etag: null, value: await gitlabRepoFacts({ origin, token, signal, outbound: outboundOf(ctx) }, input.url) };
    } else {
      cached = { etag: null, value: await giteaRepoFacts({ origin, token: null, signal, outbound: outboundOf(ctx) }, input.url) };
    }
    const releaseNotes: Record<string, string> = {};
    for (const release of cached.value.releases) if (release.notes) releaseNotes[release.tag] = release.notes;
    return {
      facts: { source: input.hostKind, fetchedAt: new Date().toISOString(), etag: cached.etag, facts: cached.value },
      releaseNotes,
    };
  } catch (error) {
    ctx.logger.warn({ err: error, url: input.url }, 'forge enrichment failed; crawl continues without it');
    return null;
  }
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { findWebhookSecret, setWebhookSecret } from '../../db/queries/crawl.queries';
import { findRepositoryByUrl, type RepositoryRow } from '../../db/queries/repositories.queries';
import { BadRequest, Unauthorized } from '../../lib/errors';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import { audit } from '../audit/audit';
import { requireAdmin, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import type { HubContext } from '../context';
import { queueCrawl } from './queue-crawl';

export type HookResult = { accepted: true; enqueued: boolean; reason: string; duplicate?: true };

/**
 * A day: forges redeliver within hours (GitHub's manual redelivery, GitLab's retries), and the
 * scheduled re-crawl picks up anything a refused delivery would have changed within 24 hours.
 */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Events that can change what a crawl reads (GitHub's names, which Gitea and Forgejo use too); everything else (issues, stars, ping) is acknowledged and ignored. */
const GITHUB_EVENTS = new Set(['push', 'create', 'delete', 'release', 'repository']);
const GITLAB_EVENTS = new Set(['Push Hook', 'Tag Push Hook', 'Release Hook']);

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The payload object: the JSON body, or for GitHub's form content type (`payload=<JSON>`, the
 * default GitHub offers when a webhook is created) the JSON in its payload field.
 */
function parsePayload(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const form = contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;
  const text = form ? new URLSearchParams(body.toString('utf8')).get('payload') : body.toString('utf8');
  if (text === null) throw new BadRequest('The webhook form has no payload field.');
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new BadRequest('The webhook payload is not a JSON object.');
}

const hmacHex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/** The repository a payload names, under any of the URLs a forge puts in it. */
async function repositoryOf(ctx: HubContext, candidates: unknown[]): Promise<RepositoryRow | null> {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === '') continue;
    let url: string;
    try {
      url = normaliseRepositoryUrl(candidate);
    } catch {
      continue;
    }
    const found = await findRepositoryByUrl(ctx.db, url);
    if (found) return found;
  }
  return null;
}

type Delivery = { forge: string; event: string | undefined; deliveryId?: string; body: Buffer };

/**
 * What makes a delivery a replay: its delivery id (the forge's redelivery sends the same one) and
 * the hash of its body (the signature covers the body but not the id header, so a replay with a
 * made-up id is caught by the body; keyed with the event, as one change can arrive as two events).
 * Claimed only after the signature held, so nobody can use up
 * a delivery id in advance.
 */
function replayKeys(delivery: Delivery): string[] {
  const keys = [`${delivery.forge}:${delivery.event ?? ''}:body:${createHash('sha256').update(delivery.body).digest('hex')}`];
  if (delivery.deliveryId) keys.push(`${delivery.forge}:id:${delivery.deliveryId.slice(0, 200)}`);
  return keys;
}

/** Claims every key of the delivery; false if any was claimed before (the new claims are given back). */
async function claimDelivery(ctx: HubContext, keys: string[]): Promise<boolean> {
  try {
    const claims = await Promise.all(keys.map((key) => ctx.deliveries.claim(key, REPLAY_WINDOW_MS)));
    if (claims.every(Boolean)) return true;
    await Promise.all(keys.filter((_, index) => claims[index]).map((key) => ctx.deliveries.release(key)));
    return false;
  } catch (error) {
    // Redis away: let the delivery through. A crawl more is harmless; refusing a genuine push is not.
    ctx.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'webhook replay check unavailable, delivery accepted');
    return true;
  }
}

async function enqueueCrawl(ctx: HubContext, repository: RepositoryRow, delivery: Delivery): Promise<HookResult> {
  if (repository.pausedReason === 'software-inactive') return { accepted: true, enqueued: false, reason: 'software entry deactivated' };
  const keys = replayKeys(delivery);
  if (!(await claimDelivery(ctx, keys))) return { accepted: true, enqueued: false, reason: 'delivery already received', duplicate: true };
  try {
    await queueCrawl(ctx, repository, 'webhook');
  } catch (error) {
    // The forge retries a failed delivery (503): that retry must not count as a replay.
    await Promise.all(keys.map((key) => ctx.deliveries.release(key))).catch(() => {});
    throw error;
  }
  return { accepted: true, enqueued: true, reason: 'crawl queued' };
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>` keyed with the
 * secret of the organisation that registered the repository. A missing or wrong
 * signature is 401; a repository we do not know is acknowledged (202) and ignored, so
 * the forge does not retry and nobody learns which repositories are registered.
 */
export async function receiveGithubHook(
  ctx: HubContext,
  input: { event: string | undefined; signature: string | undefined; body: Buffer; contentType?: string; deliveryId?: string },
): Promise<HookResult> {
  if (!input.signature?.startsWith('sha256=')) throw new Unauthorized('The X-Hub-Signature-256 header is missing.');
  return receiveSignedHook(ctx, { ...input, signature: input.signature.slice('sha256='.length), forge: 'github' });
}

/**
 * Gitea and Forgejo: `X-Gitea-Signature` (or Forgejo's `X-Forgejo-Signature`) is the hex HMAC-SHA256
 * of the body, without a prefix; the payload names the repository as GitHub's does, and the events
 * that matter have GitHub's names (push, create, delete, release, repository).
 */
export async function receiveGiteaHook(ctx: HubContext, input: { event: string | undefined; signature: string | undefined; body: Buffer; deliveryId?: string }): Promise<HookResult> {
  if (!input.signature) throw new Unauthorized('The X-Gitea-Signature header is missing.');
  return receiveSignedHook(ctx, { ...input, signature: input.signature, forge: 'gitea' });
}

/** The GitHub-shaped part: find the repository, check the hex HMAC against its organisation's secret, queue. */
async function receiveSignedHook(ctx: HubContext, input: Delivery & { signature: string; contentType?: string }): Promise<HookResult> {
  const payload = parsePayload(input.body, input.contentType);
  const repo = (payload.repository ?? {}) as Record<string, unknown>;
  const repository = await repositoryOf(ctx, [repo.html_url, repo.clone_url, repo.url]);
  if (!repository) return { accepted: true, enqueued: false, reason: 'unknown repository' } satisfies HookResult;
  const secret = await findWebhookSecret(ctx.db, repository.organisationId);
  if (secret === null || !safeEqual(hmacHex(secret, input.body), input.signature.toLowerCase())) {
    throw new Unauthorized('The webhook signature does not match.');
  }
  if (!GITHUB_EVENTS.has(input.event ?? '')) return { accepted: true, enqueued: false, reason: `event ${input.event ?? 'unknown'} ignored` };
  return enqueueCrawl(ctx, repository, input);
}

/** GitLab: `X-Gitlab-Token` carries the organisation's secret as is. */
export async function receiveGitlabHook(ctx: HubContext, input: { event: string | undefined; token: string | undefined; body: Buffer; deliveryId?: string }): Promise<HookResult> {
  if (!input.token) throw new Unauthorized('The X-Gitlab-Token header is missing.');
  const payload = parsePayload(input.body, undefined);
  const project = (payload.project ?? {}) as Record<string, unknown>;
  const repository = await repositoryOf(ctx, [project.web_url, project.git_http_url, project.http_url, project.homepage]);
  if (!repository) return { accepted: true, enqueued: false, reason: 'unknown repository' } satisfies HookResult;
  const secret = await findWebhookSecret(ctx.db, repository.organisationId);
  if (secret === null || !safeEqual(secret, input.token)) throw new Unauthorized('The webhook token does not match.');
  if (!GITLAB_EVENTS.has(input.event ?? '')) return { accepted: true, enqueued: false, reason: `event ${input.event ?? 'unknown'} ignored` };
  return enqueueCrawl(ctx, repository, { forge: 'gitlab', event: input.event, deliveryId: input.deliveryId, body: input.body });
}

/** Admin only: the secret authenticates every webhook of the organisation's repositories. null removes it. */
export async function putWebhookSecret(ctx: HubContext, principal: Principal | null, idOrSlug: string, secret: string | null) {
  const who = requireAdmin(principal);
  const organisation = await getOrganisationRow(ctx.db, idOrSlug);
  await ctx.db.transaction(async (tx) => {
    await setWebhookSecret(tx, organisation.id, secret);
    await audit(tx, who, { action: secret ? 'organisation.webhook-secret.set' : 'organisation.webhook-secret.remove', entityType: 'organisation', entityId: organisation.id });
  });
}

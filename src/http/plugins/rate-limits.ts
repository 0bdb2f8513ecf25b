import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../../config';
import type { HubContext } from '../../domain/context';
import { TooManyRequests } from '../../lib/errors';

type Budget = keyof RateLimits;
type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

// A minute: long enough that a burst does not pass unnoticed, short enough that a person locked out by mistake waits little.
const WINDOW_MS = 60_000;

const DETAIL: Record<Budget, string> = {
  authFailures: 'Too many requests with an unknown or revoked token from this address; every request with a token is refused until the budget refills.',
  search: 'Too many searches from this address.',
  writes: 'Too many writes with this token.',
  webhooks: 'Too many webhook deliveries from this address.',
};

/** Listing parameters; any other parameter of GET /v1/software makes it a search (full text or facets). */
const LISTING_PARAMETERS = new Set(['sort', 'cursor', 'limit']);

/** The budget a request spends, besides failed authentication (counted on its 401). */
function budgetOf(request: FastifyRequest): Exclude<Budget, 'authFailures'> | null {
  const route = request.routeOptions.url;
  if (route === undefined) return null;
  if (route.startsWith('/v1/hooks/')) return 'webhooks';
  if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return 'writes';
  if (route === '/v1/search/suggest') return 'search';
  if (route === '/v1/software') {
    const query = request.query as Record<string, unknown> | undefined;
    return Object.keys(query ?? {}).some((name) => !LISTING_PARAMETERS.has(name)) ? 'search' : null;
  }
  return null;
}

/** Writes are counted per token, so one organisation's CI does not spend another's budget behind the same proxy. */
function clientKey(budget: Budget, request: FastifyRequest): string {
  const principal = request.principal;
  if (budget === 'writes' && principal) return `${budget}:${principal.kind === 'token' ? principal.tokenId : 'admin'}`;
  // IPv6 by /64, the block one subscriber gets: otherwise every address of it would have a budget of its own.
  return `${budget}:${normalizeIP(request.ip, 64)}`;
}

/** Spends (or with increment false, only checks) one unit of a budget; an exhausted budget throws 429 with its headers. */
async function spend(limiter: Limiter, budget: Budget, request: FastifyRequest, reply: FastifyReply, increment = true) {
  const state = await limiter(request, { increment });
  if (state.isAllowed) return;
  // Checking before authentication: the budget is spent when the failures so far reached it.
  const exhausted = increment ? state.isExceeded : state.remaining === 0 && state.ttl > 0;
  if (increment || exhausted) {
    reply.header('ratelimit-limit', state.max).header('ratelimit-remaining', state.remaining).header('ratelimit-reset', state.ttlInSeconds);
  }
  if (!exhausted) return;
  reply.header('retry-after', state.ttlInSeconds);
  throw new TooManyRequests(`${DETAIL[budget]} Retry in ${state.ttlInSeconds} s.`);
}

/**
 * Separate budgets per minute for failed authentication, searches, writes and webhooks
 * (issue 10 #5), counted in Redis in server mode (all API processes share them) and in memory in
 * embedded mode. If Redis fails, requests pass (`skipOnError`): a Redis outage must not take the API down.
 */
async function rateLimitsPlugin(app: FastifyInstance, { hub }: { hub: HubContext }) {
  const budgets = hub.config.rateLimits;
  if (!budgets) return;
  await app.register(rateLimit, {
    global: false,
    skipOnError: true,
    ...(hub.sharedRedis ? { redis: hub.sharedRedis, nameSpace: `${hub.config.queuePrefix}:rate-limit:` } : {}),
  });
  const limiters = Object.fromEntries(
    (Object.keys(budgets) as Budget[]).map((budget) => [
      budget,
      app.createRateLimit({ max: budgets[budget], timeWindow: WINDOW_MS, keyGenerator: (request) => clientKey(budget, request) }),
    ]),
  ) as Record<Budget, Limiter>;

  // Before authentication: an address that spent its failures is refused even with a right
  // token, or the 429 would tell a guesser nothing and its guesses would go on being checked.
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization !== undefined) await spend(limiters.authFailures, 'authFailures', request, reply, false);
  });
  // After authentication (writes are counted per token), before the body is read.
  app.addHook('preParsing', async (request, reply, payload) => {
    const budget = budgetOf(request);
    if (budget) await spend(limiters[budget], budget, request, reply);
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401 && request.headers.authorization !== undefined) {
      await limiters.authFailures(request);
    }
    return payload;
  });
}

export default fp(rateLimitsPlugin, { name: 'rate-limits' });

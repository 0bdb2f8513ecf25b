import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { databaseReadiness } from '../../../domain/health/readiness';

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.Enum(['ready', 'unavailable']),
  database: Type.Enum(['ok', 'unavailable', 'outdated'], {
    description: 'outdated: the database answers but lacks migrations this version needs (run `npm run migrate`)',
  }),
  queue: Type.Enum(['ok', 'unavailable']),
});

// A dependency that does not answer within 2 s counts as down; load balancers poll often.
const READY_TIMEOUT_MS = 2000;

/** The check's own verdict ('ok' when it returns nothing), or 'unavailable' when it fails or is too slow. */
async function answers<T extends string>(check: () => Promise<T | void>): Promise<T | 'ok' | 'unavailable'> {
  try {
    const verdict = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS).unref()),
    ]);
    return verdict ?? 'ok';
  } catch {
    return 'unavailable';
  }
}

export default async function healthRoutes(app: FastifyInstance, { hub }: { hub: HubContext }) {
  const tags = ['system'];
  app.get('/health', {
    schema: { operationId: 'health', tags, summary: 'Liveness: the process answers', response: { 200: Health } },
  }, async () => ({ status: 'ok' }));

  app.get('/ready', {
    schema: {
      operationId: 'ready',
      tags,
      summary: 'Readiness: database reachable and migrated, job queue reachable (503 otherwise)',
      response: { 200: Ready, 503: Ready },
    },
  }, async (_request, reply) => {
    const [database, queue] = await Promise.all([answers(() => databaseReadiness(hub)), answers(() => hub.queue.ping())]);
    const ok = database === 'ok' && queue === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', database, queue });
  });
}

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { HubContext } from '../../domain/context';

/** Methods that never write (a GET never writes: STYLE.md). */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Tells the search index when this process may be writing: from a writing request's start until
 * its answer has gone out, every search catches up with the catalogue, so whoever wrote sees the
 * write in the next search. Writes of other processes are seen within HUB_SEARCH_INDEX_LAG_MS.
 */
async function searchFreshness(app: FastifyInstance, { hub }: { hub: HubContext }) {
  const index = hub.searchIndex;
  if (!index) return;
  app.addHook('onRequest', async (request) => {
    if (!READS.has(request.method)) index.writeStarted();
  });
  app.addHook('onResponse', async (request) => {
    if (!READS.has(request.method)) index.writeEnded();
  });
}

export default fp(searchFreshness, { name: 'search-freshness' });

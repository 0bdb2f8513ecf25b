import { defineConfig } from 'vitest/config';

const shared = {
  globalSetup: ['test/helpers/global-setup.ts'],
  // Each test file gets its own database cloned from a migrated template; 2 cores here.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * The files that run a second time on embedded PGlite (createTestHub opens an in-memory PGlite
 * instead of a PostgreSQL clone): every HTTP route with its writes, crawls and webhooks with the
 * in-process job runner, forge enrichment, the outbound guard and search through the API.
 * Not here, because they test what embedded mode does not have: test/workers (BullMQ workers on
 * Redis, killed worker processes, server mode), and the files that use no database or open
 * PGlite themselves (metadata, git protocol, cli, openapi drift, embedded restart, search on PGlite).
 */
const onBothDrivers = ['test/http/**/*.test.ts', 'test/federation/**/*.test.ts', 'test/crawl/**/*.test.ts', 'test/git/forges.test.ts', 'test/git/outbound.test.ts', 'test/search/relevance.test.ts', 'test/search/demo-relevance.test.ts', 'test/search/answer-cache.test.ts', 'test/search/index-engine.test.ts', 'test/search/boost-expiry.test.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'postgres', include: ['test/**/*.test.ts'] } },
      { test: { ...shared, name: 'pglite', include: onBothDrivers, env: { TRANSFERHUB_TEST_DB: 'pglite' } } },
    ],
  },
});

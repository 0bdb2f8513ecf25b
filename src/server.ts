import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApp } from './app';
import { loadConfigOrExit } from './config';
import { createDeps } from './deps';
import { requeueInterruptedCrawls } from './domain/crawl/reconcile.service';
import { loadDemoCatalogue } from './domain/demo/demo-catalogue';
import { startPeerNotifier, type PeerNotifier } from './domain/federation/peer-notifier';
import { ADMIN_TOKEN_FILE } from './domain/auth/admin-token';
import { limitHeapGrowth } from './lib/heap-growth';
import { createLogger } from './lib/logger';
import { serveMetrics } from './lib/metrics-server';
import { exitGracefullyOnSignals } from './lib/shutdown';
import { announceWrites, step } from './start-steps';
import { publicLink } from './lib/public-url';

/** Entry: loadConfig → createDeps → buildApp → listen, with graceful shutdown. */
async function main() {
  const started = performance.now();
  const config = loadConfigOrExit();
  limitHeapGrowth(config.heapGrowthPercent);
  const logger = createLogger(config.logLevel);
  const deps = await createDeps(config, { logger });
  try {
    // The in-process queue lost its jobs with the previous process (a kill -9 left crawls "running").
    // Before the demo load: what it registers is queued (or not) by the demo load itself.
    if (deps.hub.queue.kind === 'in-process') await requeueInterruptedCrawls(deps.hub);
    if (deps.database.kind === 'pglite' && config.demo) {
      await step(logger, 'loading the demo catalogue', () => loadDemoCatalogue(deps.hub));
    }
    const app = await buildApp(deps.hub);
    let metricsServer: { close(): Promise<void> } | null = null;
    let notifier: PeerNotifier | null = null;
    // Fastify stops accepting connections and waits for requests in flight; then jobs drain
    // and the database (PGlite or the pool) and Redis close, or the deadline ends the process.
    exitGracefullyOnSignals({
      logger,
      timeoutMs: config.shutdownTimeoutMs,
      stopping: 'no new requests, draining jobs',
      close: async (step) => {
        await step('HTTP server (requests in flight)', () => app.close()).catch((err) => logger.error({ err }, 'closing the HTTP server failed'));
        await metricsServer?.close();
        await notifier?.close();
        await deps.close(step);
      },
    });
    await step(logger, `listening on ${config.host}:${config.port}`, () => app.listen({ port: config.port, host: config.host }));
    if (config.metricsPort !== null && app.metricsRegistry) {
      const metrics = await serveMetrics(app.metricsRegistry, { port: config.metricsPort, host: config.host });
      metricsServer = metrics;
      logger.info({ port: metrics.port }, 'metrics served on their own port (GET /metrics, no token)');
    }
    // Peers hear of our changes from the API process, in both modes (the log is watched, not the writes).
    notifier = startPeerNotifier(deps.hub);
    announceWrites(logger, deps.hub.admin, join(config.dataDir, ADMIN_TOKEN_FILE));
    const { port } = app.server.address() as AddressInfo;
    logger.info(
      { mode: deps.database.kind === 'pglite' ? 'embedded' : 'server', port, startMs: Math.round(performance.now() - started) },
      `transferhub ready: ${publicLink(config.publicUrl ?? `http://localhost:${port}`, '/')} (API docs: ${publicLink(config.publicUrl ?? `http://localhost:${port}`, '/docs')})`,
    );
  } catch (error) {
    logger.error({ err: error }, 'start failed');
    await deps.close();
    process.exit(1);
  }
}

void main();

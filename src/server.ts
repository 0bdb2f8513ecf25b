import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createDeps } from './deps';
import { requeueInterruptedCrawls } from './domain/crawl/reconcile.service';
import { loadDemoCatalogue } from './domain/demo/demo-catalogue';
import { createLogger } from './lib/logger';

/** Entry: loadConfig → createDeps → buildApp → listen, with graceful shutdown. */
async function main() {
  const started = performance.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`transferhub: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const deps = await createDeps(config, { logger });
  let shuttingDown = false;

  const shutdown = async (signal: string, app?: Awaited<ReturnType<typeof buildApp>>) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new requests, draining jobs');
    // Fastify stops accepting connections and waits for requests in flight; then jobs
    // drain and the database (PGlite or the pool) and Redis close.
    await app?.close().catch((err) => logger.error({ err }, 'closing the HTTP server failed'));
    await deps.close();
    logger.info('stopped');
    process.exit(0);
  };

  try {
    // The in-process queue lost its jobs with the previous process (a kill -9 left crawls "running").
    // Before the demo load: what it registers is queued (or not) by the demo load itself.
    if (deps.hub.queue.kind === 'in-process') await requeueInterruptedCrawls(deps.hub);
    if (deps.database.kind === 'pglite' && config.demo) await loadDemoCatalogue(deps.hub);
    const app = await buildApp(deps.hub);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal, app));
    await app.listen({ port: config.port, host: config.host });
    logger.info(
      { mode: deps.database.kind === 'pglite' ? 'embedded' : 'server', startMs: Math.round(performance.now() - started) },
      `transferhub ready: http://localhost:${config.port}/docs`,
    );
  } catch (error) {
    logger.error({ err: error }, 'start failed');
    await deps.close();
    process.exit(1);
  }
}

void main();

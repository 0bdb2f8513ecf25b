import pg from 'pg';

type WatchedClient = { _activeQuery?: { text?: string } | null; _queryQueue: { text?: string }[] };
type Query = (this: WatchedClient, config: unknown, ...rest: unknown[]) => unknown;

/**
 * Watches every pg connection of the test process for a statement sent while the connection still
 * runs another: two statements at once on a transaction handle (a Promise.all over `tx`). pg only
 * warns, once a process and only from the third statement queued ("Calling client.query() when
 * the client is already executing a query is deprecated"); PGlite can wait for ever. Found
 * statements are listed with the one running, so a test can show which read it was.
 */
export function watchConcurrentStatements() {
  const found: { sent: string; running: string }[] = [];
  const prototype = pg.Client.prototype as unknown as { query: Query };
  const query = prototype.query;
  prototype.query = function (this: WatchedClient, config: unknown, ...rest: unknown[]) {
    const running = this._activeQuery ?? this._queryQueue[0];
    if (running) found.push({ sent: String(typeof config === 'string' ? config : (config as { text?: string } | null)?.text), running: String(running.text) });
    return query.call(this, config, ...rest);
  };
  return {
    found,
    stop() {
      prototype.query = query;
    },
  };
}

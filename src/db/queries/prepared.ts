import type { Executor } from '../client';

/**
 * A named prepared statement built once per database handle instead of on every call: drizzle
 * builds a query's SQL text anew each time it runs (walking the selection, the columns and the
 * conditions), which was the largest part of the API's CPU for the statements a peer's idle pull
 * sends (profile of `bench:federation` (c)). Keyed weakly: the pool's handle keeps its statements;
 * a transaction's handle builds its own and drops them with it. node-postgres prepares a name once
 * per connection; PGlite ignores the name.
 */
export function preparedPerHandle<P>(build: (db: Executor) => P): (db: Executor) => P {
  const byHandle = new WeakMap<Executor, P>();
  return (db) => {
    let prepared = byHandle.get(db);
    if (!prepared) byHandle.set(db, (prepared = build(db)));
    return prepared;
  };
}

import { chmodSync, mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index';
import { guardOuterHandle } from './transaction-guard';
import { packagePath } from '../lib/package-root';
import { lockDataDir } from './data-dir-lock';

/**
 * Both drivers produce a PgDatabase over the same schema; everything above this
 * file is written against that one type and never learns which driver it runs on.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle: query functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export type Database = {
  db: Db;
  kind: 'postgres' | 'pglite';
  ping(): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data folder as a gzipped tarball (`transferhub backup` in embedded mode). */
  dumpDataDir?(): Promise<Blob>;
  /** PostgreSQL only: the pool's connections now (GET /metrics). */
  poolUse?(): PoolUse;
};

export type PoolUse = { total: number; idle: number; waiting: number; max: number };

export const MIGRATIONS_DIR = packagePath('migrations');

export async function openPostgres(url: string, options: { max?: number; onConnectionError?: (error: Error) => void } = {}): Promise<Database> {
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // 10 connections: enough for the API's concurrency on 2 cores; PostgreSQL's default limit is 100.
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    // 5 s: connecting to a reachable server takes milliseconds; past that it is away, and a request
    // waiting longer (for a connection or a free pool slot) should get its 503 instead.
    connectionTimeoutMillis: 5000,
    // No JIT compilation. PostgreSQL compiles a statement whose estimated cost passes 100 000, and
    // the set-wise statements of the search triggers (the words of 1 000 entries of a peer's page)
    // are estimated in the millions: each compiled for 90–200 ms before running for less. An API's
    // statements are short; none is faster compiled.
    options: '-c jit=off',
  });
  const lost = options.onConnectionError ?? (() => {});
  // A connection lost while idle (the pool's 'error') or while checked out (the client's own 'error',
  // emitted between queries, for example inside a transaction) must not crash the process: without a
  // listener Node throws the event. The query in flight fails and is answered 503; the pool drops
  // the broken client and opens a new connection for the next request.
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const db = drizzle(pool, { schema, casing: 'snake_case' }) as unknown as Db;
  guardOuterHandle(db);
  return {
    db,
    kind: 'postgres',
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrate: async () => {
      await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    close: async () => {
      await pool.end();
    },
  };
}

/**
 * PGlite in `dataDir`, or in memory for null. `loadDataDir` starts from a dump
 * (`dumpDataDir()`), which the tests use to skip initdb and the migrations per hub.
 */
export async function openPglite(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir !== null) privateFolder(dataDir);
  const unlock = dataDir === null ? () => {} : lockDataDir(dataDir);
  const client = await PGlite.create(dataDir ?? undefined, { extensions: { pg_trgm, unaccent }, loadDataDir: options.loadDataDir }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  guardOuterHandle(db);
  let closed = false;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    migrate: async () => {
      await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
    // Idempotent: shutdown paths may race (signal during a failed start).
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      unlock();
    },
  };
}

/**
 * PGlite writes its files world-writable (mode 0666, whatever the umask), and a restore unpacks
 * the tarball the same way, next to the admin token's hash and the webhook key. Closing the folder
 * itself (0700, as PostgreSQL demands of its data directory) keeps other local users out of all of
 * it. A folder someone else owns (a mounted volume) is left as its owner set it.
 */
function privateFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  try {
    chmodSync(dataDir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

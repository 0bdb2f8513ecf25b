import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { freePort, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { driveLoad, printTable, recovery, type Row } from './load';

const ADMIN = 'fault-admin-token-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many of `ids` the table holds, read straight from the database (not through the API under test). */
async function countFound(url: string, table: 'organisation' | 'repository', ids: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** Acknowledged repositories no crawl has reached yet (no error recorded, no check done). */
async function uncrawled(url: string, ids: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM repository WHERE id = ANY($1::uuid[]) AND last_error_at IS NULL AND last_checked_at IS NULL',
      [ids],
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

type Scenario = { name: string; outage: () => Promise<void>; restore: () => Promise<void> };

/**
 * PostgreSQL restarts and a Redis kill under a mixed read/write load (server mode, real
 * processes): the API and the worker stay up, answer 503 with Retry-After while a dependency
 * is away, lose no acknowledged write and recover by themselves. PostgreSQL and Redis are
 * the test's own, on free loopback ports.
 */
describe('dependencies restarting under a mixed read/write load', () => {
  let cluster: PostgresCluster;
  let redis: RedisServer;
  let api: HubProcess;
  let worker: HubProcess;
  let base: string;
  let databaseUrl: string;

  beforeAll(async () => {
    [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE transferhub');
    await admin.end();
    databaseUrl = cluster.url('transferhub');
    const database = await openPostgres(databaseUrl, { max: 1 });
    await database.migrate();
    await database.close();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const prefix = `th-test-fault-${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, HUB_QUEUE_PREFIX: prefix, HUB_ADMIN_TOKEN: ADMIN, PORT: String(port), HOST: '127.0.0.1' };
    api = startHubProcess('src/server.ts', env);
    worker = startHubProcess('workers/main.ts', env);
    await waitForHttp(api, `${base}/ready`);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await Promise.all([cluster?.destroy(), redis?.destroy()]);
  });

  it('keeps API and worker up, answers 503 with Retry-After meanwhile, loses no acknowledged write and recovers', async () => {
    const created = await fetch(`${base}/v1/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Störfallstadt', kind: 'municipality' }),
    });
    expect(created.status).toBe(201);
    const organisationId = ((await created.json()) as { id: string }).id;
    // Registered repositories point at a port nobody listens on: their crawls fail at once, so the
    // worker reads and writes the database throughout, and every registration needs Redis.
    const deadHost = `http://127.0.0.1:${await freePort()}`;

    const scenarios: Scenario[] = [
      { name: 'pg_ctl stop -m fast', outage: () => cluster.stop('fast'), restore: () => cluster.start() },
      { name: 'pg_ctl stop -m immediate', outage: () => cluster.stop('immediate'), restore: () => cluster.start() },
      { name: 'redis-server SIGKILL (data lost)', outage: () => redis.kill(), restore: () => redis.start() },
    ];
    const rows: Row[] = [];
    const repositories: string[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      const load = driveLoad({ base, adminToken: ADMIN, organisationId, deadHost, writers: 8, readers: 4, label: `s${index}` });
      let seconds: number | null;
      try {
        // Load answered (a write, a read, a registration) for 1 s before, 2 s without the
        // dependency: long enough for every request kind to meet the outage.
        if ((await recovery(load.tally, Date.now(), [api, worker])) === null) {
          throw new Error(`the load never got answers before the outage: ${load.tally.samples.join('; ')}`);
        }
        await sleep(1000);
        await scenario.outage();
        await sleep(2000);
        await scenario.restore();
        seconds = await recovery(load.tally, Date.now(), [api, worker]);
        await sleep(1000);
      } finally {
        await load.stop();
      }
      const tally = load.tally;
      repositories.push(...tally.acknowledged.repositories);
      rows.push({
        scenario: scenario.name,
        requests: tally.requests,
        acknowledgedWrites: tally.acknowledged.organisations.length + tally.acknowledged.repositories.length,
        writesFound:
          (await countFound(databaseUrl, 'organisation', tally.acknowledged.organisations)) +
          (await countFound(databaseUrl, 'repository', tally.acknowledged.repositories)),
        '5xx': tally.other5xx,
        '503': tally.status503,
        noAnswer: tally.noAnswer,
        exits: [api, worker].filter((p) => p.exit() !== null).length,
        recoverySeconds: seconds,
      });
      if (tally.samples.length > 0) process.stdout.write(`${scenario.name}: ${tally.samples.join('\n')}\n`);
      if (tally.bad503 > 0) process.stdout.write(`${scenario.name}: ${tally.bad503} × 503 without Retry-After or problem+json\n`);
      if (rows.at(-1)!.exits > 0) break;
    }
    printTable('Fault: dependencies restarting under load (8 writers, 4 readers; API and worker as processes)', rows);
    if (api.exit() !== null || worker.exit() !== null) {
      process.stdout.write(`API exit ${api.exit()}:\n${api.output().slice(-3000)}\nworker exit ${worker.exit()}:\n${worker.output().slice(-3000)}\n`);
    }

    // No orphan: every registered repository's crawl ran (jobs lost with Redis's data are queued
    // again by the worker when its connection comes back). 20 s: a few dozen crawls failing at once.
    let left = await uncrawled(databaseUrl, repositories);
    for (const deadline = Date.now() + 20_000; left > 0 && Date.now() < deadline; left = await uncrawled(databaseUrl, repositories)) await sleep(250);
    process.stdout.write(`registered repositories: ${repositories.length}, never crawled: ${left}\n`);
    expect(left).toBe(0);

    for (const row of rows) {
      expect(row.exits, row.scenario).toBe(0);
      expect(row.writesFound, row.scenario).toBe(row.acknowledgedWrites);
      expect(row['5xx'], row.scenario).toBe(0);
      expect(row.noAnswer, row.scenario).toBe(0);
      // The outage must have been met, or the test proves nothing.
      expect(row['503'], row.scenario).toBeGreaterThan(0);
      expect(row.recoverySeconds, row.scenario).not.toBeNull();
    }
    expect(rows).toHaveLength(scenarios.length);
  }, 120_000);
});

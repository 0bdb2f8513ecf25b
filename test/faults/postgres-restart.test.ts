import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client';
import { dropQueueKeys } from '../helpers/hub';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { freePort, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { driveLoad, printTable, recovery, type Row } from './load';

const ADMIN = 'fault-admin-token-0123456789';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
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

/**
 * PostgreSQL restarts under load (server mode, real processes): the API and the worker stay
 * up, answer 503 with Retry-After while the database is away, lose no acknowledged write and
 * recover by themselves. The cluster is the test's own, on a free loopback port.
 */
describe('PostgreSQL restarts under a mixed read/write load', () => {
  let cluster: PostgresCluster;
  let api: HubProcess;
  let worker: HubProcess;
  let base: string;
  let databaseUrl: string;
  const prefix = `th-test-fault-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
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
    const env = { DATABASE_URL: databaseUrl, REDIS_URL, HUB_QUEUE_PREFIX: prefix, HUB_ADMIN_TOKEN: ADMIN, PORT: String(port), HOST: '127.0.0.1' };
    api = startHubProcess('src/server.ts', env);
    worker = startHubProcess('workers/main.ts', env);
    await waitForHttp(api, `${base}/ready`);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await cluster?.destroy();
    await dropQueueKeys(REDIS_URL, prefix);
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
    // worker reads and writes the database throughout the restart.
    const deadHost = `http://127.0.0.1:${await freePort()}`;

    const rows: Row[] = [];
    for (const mode of ['fast', 'immediate'] as const) {
      const load = driveLoad({ base, adminToken: ADMIN, organisationId, deadHost, writers: 8, readers: 4, label: mode });
      // Load running (a write and a read answered) for 1 s before, 2 s without the database:
      // long enough for every request kind to meet the outage.
      if ((await recovery(load.tally, Date.now(), [api, worker])) === null) {
        await load.stop();
        throw new Error(`the load never got a write and a read answered before the restart: ${load.tally.samples.join('; ')}`);
      }
      await sleep(1000);
      await cluster.stop(mode);
      await sleep(2000);
      await cluster.start();
      const back = Date.now();
      const seconds = await recovery(load.tally, back, [api, worker]);
      await sleep(1000);
      const tally = await load.stop();
      const alive = api.exit() === null && worker.exit() === null;
      const found =
        (await countFound(databaseUrl, 'organisation', tally.acknowledged.organisations)) +
        (await countFound(databaseUrl, 'repository', tally.acknowledged.repositories));
      rows.push({
        scenario: `pg_ctl stop -m ${mode}`,
        requests: tally.requests,
        acknowledgedWrites: tally.acknowledged.organisations.length + tally.acknowledged.repositories.length,
        writesFound: found,
        '5xx': tally.other5xx,
        '503': tally.status503,
        noAnswer: tally.noAnswer,
        exits: [api, worker].filter((p) => p.exit() !== null).length,
        recoverySeconds: seconds,
      });
      if (tally.samples.length > 0) process.stdout.write(`${mode}: ${tally.samples.join('\n')}\n`);
      if (tally.bad503 > 0) process.stdout.write(`${mode}: ${tally.bad503} × 503 without Retry-After or problem+json\n`);
      if (!alive) break;
    }
    printTable('Fault: PostgreSQL restart under load (8 writers, 4 readers)', rows);
    if (api.exit() !== null || worker.exit() !== null) {
      process.stdout.write(`API exit ${api.exit()}:\n${api.output().slice(-3000)}\nworker exit ${worker.exit()}:\n${worker.output().slice(-3000)}\n`);
    }

    for (const row of rows) {
      expect(row.exits, row.scenario).toBe(0);
      expect(row.writesFound, row.scenario).toBe(row.acknowledgedWrites);
      expect(row['5xx'], row.scenario).toBe(0);
      expect(row.noAnswer, row.scenario).toBe(0);
      // The outage must have been met, or the test proves nothing.
      expect(row['503'], row.scenario).toBeGreaterThan(0);
      expect(row.recoverySeconds, row.scenario).not.toBeNull();
    }
    expect(rows).toHaveLength(2);
  }, 120_000);
});

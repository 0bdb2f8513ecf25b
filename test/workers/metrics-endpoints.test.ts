import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIT } from '../crawl/crawl-fixtures';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { ADMIN_TOKEN, admin, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { freePort } from '../helpers/server-process';
import { until } from '../helpers/worker-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// A process start (tsx, PGlite's first start) and a crawl, under the load of other test files.
const PROCESS_MS = 120_000;

/** The value of one series in Prometheus text, e.g. `crawl_outcomes_total{outcome="succeeded"}`; null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
};

let git: GitServer;
beforeAll(async () => {
  git = await startGitServer();
});
afterAll(async () => {
  await git?.close();
});

describe('metrics of a worker (HUB_WORKER_METRICS_PORT) in server mode', () => {
  let hub: TestHub;
  let worker: HubProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const prefix = `th-test-${randomBytes(4).toString('hex')}`;
    hub = await createTestHub({ REDIS_URL, HUB_QUEUE_PREFIX: prefix });
    env = { DATABASE_URL: hub.deps.hub.config.databaseUrl!, REDIS_URL, HUB_QUEUE_PREFIX: prefix };
  });
  afterAll(async () => {
    await worker?.stop();
    await hub?.close();
  });

  it('shows the waiting crawl and its age before a worker runs, then the worker reports the crawl, its queues, its pool and its event loop', { timeout: PROCESS_MS * 2 }, async () => {
    const owner = await organisationWithToken(hub.app, ['publish']);
    await git.createRepo('metrik-stadt', { 'README.md': '# Metrik\n\nGemessen.', LICENSE: MIT });
    const registered = await hub.app.inject({
      method: 'POST',
      url: '/v1/repositories',
      headers: { authorization: `Bearer ${owner.token}` },
      payload: { url: git.repoUrl('metrik-stadt'), organisationId: owner.organisation.id },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    const { id } = registered.json() as { id: string };

    // No worker yet: the API's /metrics (admin token) sees the job waiting in Redis, for a measurable time.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = (await hub.app.inject({ url: '/metrics', headers: admin })).body;
    expect(sample(before, 'job_queue_depth{queue="crawl-repository",state="waiting"}')).toBe(1);
    expect(sample(before, 'job_queue_oldest_waiting_seconds{queue="crawl-repository"}')).toBeGreaterThanOrEqual(1);
    expect(sample(before, 'db_pool_connections{state="max"}')).toBe(10);
    expect(sample(before, 'db_pool_waiting_requests')).toBe(0);

    const port = await freePort();
    worker = startHubProcess('workers/main.ts', { ...env, HUB_WORKER_METRICS_PORT: String(port), HOST: '127.0.0.1' });
    const url = `http://127.0.0.1:${port}/metrics`;
    await waitForHttp(worker, url, PROCESS_MS);
    const state = async () => ((await hub.app.inject(`/v1/repositories/${id}`)).json() as { crawl: { state: string } }).crawl.state;
    await until(state, (s) => s === 'succeeded' || s === 'failed', 'the crawl', PROCESS_MS);
    expect(await state(), worker.output()).toBe('succeeded');

    const text = await scrape(url);
    // At least the registration's crawl: a worker's first start also runs the refresh scheduler at
    // once, whose round may crawl the repository again (then "unchanged"). Every attempt is timed.
    const succeeded = sample(text, 'crawl_outcomes_total{outcome="succeeded"}');
    expect(succeeded, text).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crawl_duration_seconds_count{outcome="succeeded"}')).toBe(succeeded);
    expect(sample(text, 'crawl_duration_seconds_sum{outcome="succeeded"}')).toBeGreaterThan(0);
    expect(sample(text, 'job_queue_depth{queue="crawl-repository",state="waiting"}')).toBe(0);
    expect(sample(text, 'job_queue_oldest_waiting_seconds{queue="crawl-repository"}')).toBe(0);
    expect(sample(text, 'repositories_by_crawl_state{state="succeeded"}')).toBe(1);
    expect(sample(text, 'db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    // A worker answers metrics only: no API on that port.
    expect((await fetch(`http://127.0.0.1:${port}/v1/software`)).status).toBe(404);
  });
});

describe('metrics of the API on a port of their own (HUB_METRICS_PORT) in embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-metrics-'));
  let api: HubProcess | undefined;
  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the crawls run in the API process and request durations there, while /metrics on the API port still needs the token', { timeout: PROCESS_MS * 2 }, async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    api = startHubProcess('src/server.ts', {
      PORT: String(port),
      HUB_METRICS_PORT: String(metricsPort),
      HOST: '127.0.0.1',
      HUB_DATA_DIR: dataDir,
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    await waitForHttp(api, `${base}/health`, PROCESS_MS);
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const organisation = (await (await post('/v1/organisations', { name: 'Metrikdorf', kind: 'municipality' })).json()) as { id: string };
    await git.createRepo('metrik-dorf', { 'README.md': '# Dorf', LICENSE: MIT });
    const registered = await post('/v1/repositories', { url: git.repoUrl('metrik-dorf'), organisationId: organisation.id });
    expect(registered.status).toBe(202);
    const { id } = (await registered.json()) as { id: string };
    const state = async () => ((await (await fetch(`${base}/v1/repositories/${id}`)).json()) as { crawl: { state: string } }).crawl.state;
    await until(state, (s) => s === 'succeeded' || s === 'failed', 'the crawl', PROCESS_MS);

    const text = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(sample(text, 'crawl_outcomes_total{outcome="succeeded"}'), api.output()).toBe(1);
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/v1\/repositories",status_code="202"\} 1$/m);
    expect(sample(text, 'job_queue_oldest_waiting_seconds{queue="crawl-repository"}')).toBe(0);
    // PGlite has one connection and no pool.
    expect(text).not.toContain('db_pool_connections');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });
});

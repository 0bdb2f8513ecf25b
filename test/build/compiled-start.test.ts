import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, runPrefix, withAdmin } from '../helpers/database';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { freePort } from '../helpers/server-process';
import { until } from '../helpers/worker-process';
import { MIT } from '../crawl/crawl-fixtures';

const run = promisify(execFile);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = 'build-test-admin-token-0123456789';
// tsc over src/ and workers/ takes 25 s of CPU; under the load of other test files on 2 cores, minutes.
const BUILD_MS = 300_000;
// PGlite's first start with the demo catalogue, or a crawl, when other test files load the machine.
const START_MS = 120_000;

/**
 * The production image has no devDependencies, so no tsx: every process of this file runs with a
 * resolve hook that fails any import of tsx, in the main thread and in the crawl thread alike.
 */
const NO_TSX_HOOK = `export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) throw new Error('the compiled build imported ' + specifier);
  return next(specifier, context);
}`;
const NO_TSX = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(NO_TSX_HOOK)}`)});`;
const NODE_OPTIONS = `--import=data:text/javascript,${encodeURIComponent(NO_TSX)}`;

/*
 * `npm run build` (scripts/build.mjs) into a folder of its own inside the checkout, as the
 * Dockerfile runs it, and the compiled entries started on plain Node: the API in embedded mode
 * with the demo catalogue, migrate + API + worker in server mode, and the CLI. A crawl in each
 * mode runs the compiled crawl thread (src/domain/crawl/crawl-threads.ts starts the .js entry).
 */
describe('the compiled build (npm run build)', () => {
  const out = join('.tmp', `build-test-${randomBytes(4).toString('hex')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-build-'));
  const database = `${runPrefix()}_build_${randomBytes(4).toString('hex')}`;
  const processes: HubProcess[] = [];
  let git: GitServer;

  beforeAll(async () => {
    git = await startGitServer();
    await run(process.execPath, ['scripts/build.mjs', out], { timeout: BUILD_MS });
  }, BUILD_MS + 10_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await git?.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (entry: string, env: Record<string, string>) => {
    const hub = startHubProcess(join(out, entry), { NODE_OPTIONS, HUB_ADMIN_TOKEN: ADMIN, HOST: '127.0.0.1', ...env });
    processes.push(hub);
    return hub;
  };

  async function registerAndCrawl(base: string, name: string) {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const organisation = await post('/v1/organisations', { name: `Baustadt ${name}`, kind: 'municipality' });
    expect(organisation.status, await organisation.clone().text()).toBe(201);
    await git.createRepo(name, { 'README.md': `# ${name}\n\nGebaut und ausgeliefert.`, LICENSE: MIT });
    const registered = await post('/v1/repositories', { url: git.repoUrl(name), organisationId: ((await organisation.json()) as { id: string }).id });
    expect(registered.status, await registered.clone().text()).toBe(202);
    const { id } = (await registered.json()) as { id: string };
    type Repo = { headCommit: string | null; crawl: { state: string; lastError: string | null } };
    const read = async () => (await (await fetch(`${base}/v1/repositories/${id}`)).json()) as Repo;
    return until(read, (r) => r.crawl.state === 'succeeded' || r.crawl.state === 'failed', `the crawl of ${name}`, START_MS);
  }

  it('serves health, the demo catalogue and a crawl from node dist/src/server.js in embedded mode', { timeout: START_MS * 2 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = start('src/server.js', { PORT: String(port), HUB_DATA_DIR: dataDir, HUB_DEMO: 'true', HUB_DEMO_CRAWL: 'false', DATABASE_URL: '', REDIS_URL: '' });
    await waitForHttp(api, `${base}/health`, START_MS);

    const software = (await (await fetch(`${base}/v1/software?limit=5`)).json()) as { items: { slug: string }[] };
    expect(software.items.length, api.output()).toBe(5);
    const repo = await registerAndCrawl(base, 'gebaut-eingebettet');
    expect(repo.crawl, api.output()).toMatchObject({ state: 'succeeded', lastError: null });
    expect(repo.headCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('migrates a new database, serves the API and crawls in the worker from the compiled server-mode entries', { timeout: START_MS * 3 }, async () => {
    await withAdmin((c) => c.query(`CREATE DATABASE ${database}`));
    const env = { DATABASE_URL: databaseUrl(database), REDIS_URL, HUB_QUEUE_PREFIX: `th-test-build-${randomBytes(4).toString('hex')}` };
    const migrate = await run(process.execPath, [join(out, 'src/cli/migrate.js')], { env: { ...process.env, ...env, NODE_OPTIONS }, timeout: START_MS });
    expect(migrate.stdout).toMatch(/migrations applied \(postgres\)/);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = start('src/server.js', { ...env, PORT: String(port) });
    const worker = start('workers/main.js', env);
    await waitForHttp(api, `${base}/ready`, START_MS);
    const repo = await registerAndCrawl(base, 'gebaut-server');
    expect(repo.crawl, `${api.output()}\n${worker.output()}`).toMatchObject({ state: 'succeeded', lastError: null });
    expect(worker.exit()).toBeNull();
  });

  it('runs the compiled command line', { timeout: START_MS }, async () => {
    const checked = await run(process.execPath, [join(out, 'src/cli/main.js'), 'spdx', 'check', 'EUPL-1.2 OR MIT', '--json'], {
      env: { ...process.env, NODE_OPTIONS },
      timeout: START_MS,
    });
    expect(JSON.parse(checked.stdout)).toMatchObject({ valid: true });
  });
});

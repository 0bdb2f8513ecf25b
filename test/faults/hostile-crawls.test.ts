import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { startHubProcess, waitForHttp, type HubProcess } from '../helpers/hub-process';
import { buildPathologicalRepo } from '../helpers/pathological-repo';
import { freePort } from '../helpers/postgres-cluster';
import { until } from '../helpers/worker-process';
import { hostileRequests } from './hostile-inputs';
import { printTable, type Row } from './load';

const ADMIN = 'hostile-fault-admin-0123456789';
const MIB = 1024 * 1024;

/** VmRSS now and VmHWM (peak since start) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/**
 * Embedded mode (the crawl runs beside the API, the worst case for both) fed the hostile
 * repositories of issue 10 #2 and #6 and a batch of hostile API inputs, while /health is asked
 * every 50 ms. Each row of the fault table says what the process's peak memory rose by over
 * its resident memory before the scenario, and how slow /health got meanwhile.
 */
describe('hostile repositories and inputs against embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'transferhub-hostile-'));
  let hub: HubProcess;
  let host: GitServer;
  let base: string;
  let organisationId: string;
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    host = await startGitServer();
    await Promise.all([
      // The repository of the issue: 1,500 nearly identical 1 MB files stored as deltas (1.5 GB inflated).
      buildPathologicalRepo(join(host.root, 'stadt/deltas-mit-filter.git')),
      // The same on a host without partial-clone filters: the crawler must stop at its memory cap.
      buildPathologicalRepo(join(host.root, 'stadt/deltas-ohne-filter.git'), { allowFilter: false }),
      host.createRepo('stadt/zitate', { 'README.md': `${'> '.repeat(60_000)}Zitat\n`, LICENSE: 'MIT License\n' }),
      host.createRepo('stadt/tropfen', { 'README.md': '# Tropfen\n' }),
    ]);
    host.dribbles.set('stadt/tropfen', 'refs');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hub = startHubProcess('src/server.ts', {
      HUB_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      HUB_ADMIN_TOKEN: ADMIN,
      DATABASE_URL: '',
      REDIS_URL: '',
      // A host must send 1 KiB/s after 2 s and list its refs within 3 s (defaults: 10 s, 30 s): the test stays short.
      HUB_CRAWL_GRACE_SECONDS: '2',
      HUB_CRAWL_MIN_RATE_KB: '1',
      HUB_CRAWL_REFS_TIMEOUT_SECONDS: '3',
    });
    // PGlite's first start runs initdb and the migrations: slow on a busy 2-core machine.
    await waitForHttp(hub, `${base}/health`, 150_000);
    const org = await fetch(`${base}/v1/organisations`, { method: 'POST', headers, body: JSON.stringify({ name: 'Feindstadt', kind: 'municipality' }) });
    organisationId = ((await org.json()) as { id: string }).id;
  }, 240_000);

  afterAll(async () => {
    await hub?.stop();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `work` while asking /health every 50 ms; the health latencies and the memory the process grew by. */
  async function observed<T>(work: () => Promise<T>) {
    // Writing 5 to clear_refs resets VmHWM to the current resident size (Linux ≥ 4.0): each scenario's own peak.
    writeFileSync(`/proc/${hub.child.pid}/clear_refs`, '5');
    const before = memoryOf(hub.child.pid!).rss;
    const latencies: number[] = [];
    let failures = 0;
    let running = true;
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        try {
          const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(30_000) });
          if (!response.ok) failures += 1;
        } catch {
          failures += 1;
        }
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      const result = await work();
      return { result, latencies, failures, grewBy: memoryOf(hub.child.pid!).peak - before };
    } finally {
      running = false;
      await probe;
    }
  }

  async function crawlOf(name: string) {
    const registered = await fetch(`${base}/v1/repositories`, { method: 'POST', headers, body: JSON.stringify({ url: host.repoUrl(name), organisationId }) });
    expect(registered.status).toBe(202);
    const { id } = (await registered.json()) as { id: string };
    const read = async () => ((await (await fetch(`${base}/v1/repositories/${id}`)).json()) as { crawl: { state: string; lastError: string | null } }).crawl;
    return until(read, (crawl) => crawl.state === 'succeeded' || crawl.state === 'failed' || crawl.state === 'retrying', `the crawl of ${name} to end`, 180_000);
  }

  it('keeps memory under the cap, /health answering and every hostile input a 4xx', async () => {
    const rows: (Row & { outcome: string })[] = [];
    const scenarios: { name: string; repo: string; expected: RegExp }[] = [
      { name: 'pathological repo, host with filter', repo: 'stadt/deltas-mit-filter', expected: /^succeeded$/ },
      { name: 'pathological repo, host without filter', repo: 'stadt/deltas-ohne-filter', expected: /^failed: .*crawl\.memory_cap_exceeded/ },
      { name: 'README of 60,000 nested quotes', repo: 'stadt/zitate', expected: /^succeeded$/ },
      { name: 'host sending refs at 10 B/s', repo: 'stadt/tropfen', expected: /^(failed|retrying): / },
    ];
    for (const scenario of scenarios) {
      const { result: crawl, latencies, failures, grewBy } = await observed(() => crawlOf(scenario.repo));
      const outcome = crawl.state === 'succeeded' ? 'succeeded' : `${crawl.state}: ${crawl.lastError}`;
      rows.push({
        scenario: scenario.name,
        requests: latencies.length + 2,
        acknowledgedWrites: 1,
        writesFound: 1,
        '5xx': failures,
        '503': 0,
        noAnswer: 0,
        exits: hub.exit() === null ? 0 : 1,
        peakMiB: Math.round(grewBy / MIB),
        healthP99Ms: Math.round(percentile(latencies, 99)),
        outcome,
      });
      expect(outcome, scenario.name).toMatch(scenario.expected);
    }

    const inputs = hostileRequests(organisationId);
    const { result: answers, latencies, grewBy } = await observed(async () => {
      const statuses: number[] = [];
      const accepted: string[] = [];
      for (const request of inputs) {
        const response = await fetch(`${base}${request.path}`, {
          method: request.method,
          headers: { ...(request.anonymous ? {} : { authorization: `Bearer ${ADMIN}` }), 'content-type': request.contentType ?? 'application/json' },
          body: request.body,
        });
        await response.arrayBuffer();
        statuses.push(response.status);
        if (response.status < 400 || response.status >= 500) accepted.push(`${request.method} ${request.path.slice(0, 80)} ${(request.body ?? '').slice(0, 120)} → ${response.status}`);
      }
      return Object.assign(statuses, { accepted });
    });
    const fiveHundreds = answers.filter((status) => status >= 500).length;
    rows.push({
      scenario: `hostile API inputs (${inputs.length})`,
      requests: inputs.length + latencies.length,
      acknowledgedWrites: 0,
      writesFound: 0,
      '5xx': fiveHundreds,
      '503': answers.filter((status) => status === 503).length,
      noAnswer: 0,
      exits: hub.exit() === null ? 0 : 1,
      peakMiB: Math.round(grewBy / MIB),
      healthP99Ms: Math.round(percentile(latencies, 99)),
      outcome: `${answers.filter((status) => status >= 400 && status < 500).length} × 4xx, ${answers.filter((status) => status < 400).length} × 2xx/3xx`,
    });
    printTable('Fault: hostile repositories and inputs (embedded mode, crawl memory cap 256 MiB)', rows);
    for (const row of rows) process.stdout.write(`  ${row.scenario}: ${row.outcome}\n`);

    for (const row of rows) {
      expect(row.exits, row.scenario).toBe(0);
      expect(row['5xx'], row.scenario).toBe(0);
      // The documented cap (HUB_CRAWL_MEMORY_MB = 256) bounds what a crawl adds to the process.
      expect(row.peakMiB!, row.scenario).toBeLessThan(256);
    }
    // Hostile input is refused, never accepted and never a server error.
    expect(answers.accepted).toEqual([]);
  }, 900_000);
});

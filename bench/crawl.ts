/**
 * npm run bench:crawl [-- --repos 200 --concurrency 4 --images-kb 360]
 * npm run bench:crawl -- --kind pathological [--files 1500 --modes embedded,server]  (bench/crawl-pathological.ts)
 * N repositories of realistic size (a few hundred files, ~2 MB, README, licence,
 * publiccode.yml, 10 tags) served by `git http-backend` on loopback. --images-kb sets the
 * incompressible part (images, fonts, PDFs in docs/): larger projects, same everything else. Prints repositories
 * per minute for the first crawl and for an unchanged re-crawl, the crawler's peak RSS,
 * and `git clone --depth 1` of the same repositories at the same concurrency as reference.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { openPostgres } from '../src/db/client';
import { createDeps } from '../src/deps';
import { registerRepository } from '../src/domain/crawl/repositories.service';
import { createOrganisation } from '../src/domain/catalogue/organisations.service';
import { crawlRepositoryJob } from '../src/jobs/crawl-repository.job';
import type { InProcessQueue } from '../src/jobs/in-process-queue';
import { git } from '../test/helpers/git-server';
import { databaseUrl, withAdmin } from '../test/helpers/database';
import licences from 'spdx-license-list/full.js';
import { benchPathological } from './crawl-pathological';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPOS = arg('repos', 200);
const CONCURRENCY = arg('concurrency', 4);
const TEMPLATES = 10;
/** Six images of 60 KB by default; real municipal apps carry from none to tens of MB of them. */
const IMAGES_KB = arg('images-kb', 360);

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** A municipal web project: sources, docs, a few images; text compresses like real code. */
async function buildTemplate(dir: string, index: number) {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '-q', '-b', 'main']);
  const words = 'Stadt Bürger Meldung Verwaltung Straße Antrag Formular Daten Schnittstelle Karte'.split(' ');
  const text = (n: number) => Array.from({ length: n }, (_, i) => `const ${words[i % 10]}${i} = '${words[(i * 7) % 10]} ${i}';`).join('\n');
  for (let f = 0; f < 250; f++) {
    const sub = join(dir, 'src', `modul${f % 12}`);
    await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `datei${f}.ts`), `${text(60 + (f % 40))}\n// ${index}\n`);
  }
  await mkdir(join(dir, 'docs', 'bilder'), { recursive: true });
  for (let i = 0; i < 6; i++) await writeFile(join(dir, 'docs', 'bilder', `bild${i}.png`), randomBytes(Math.round((IMAGES_KB / 6) * 1024)));
  await writeFile(join(dir, 'README.md'), `# Projekt ${index}\n\n${'Dieses Projekt der Stadt hilft Bürgerinnen und Bürgern. '.repeat(80)}\n\n![Bild](docs/bilder/bild0.png)\n`);
  await writeFile(join(dir, 'LICENSE'), (licences as Record<string, { licenseText: string }>)['EUPL-1.2']!.licenseText);
  await writeFile(join(dir, 'publiccode.yml'), `publiccodeYmlVersion: "0.4"\nname: Projekt ${index}\nurl: "https://example.org/p${index}.git"\nplatforms: [web]\ncategories: [it-development]\ndevelopmentStatus: stable\nsoftwareType: standalone/web\ndescription:\n  de:\n    shortDescription: Ein Projekt\n    longDescription: ${'Lange Beschreibung des Projekts. '.repeat(10)}\n    features: [Eins]\nlegal:\n  license: EUPL-1.2\nmaintenance:\n  type: internal\n  contacts: [{name: Stadt}]\nlocalisation:\n  localisationReady: true\n  availableLanguages: [de]\n`);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'Stand']);
  for (let t = 0; t < 10; t++) await git(dir, ['tag', `v1.${t}.0`]);
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'transferhub-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/crawl-git-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const { url, root } = JSON.parse(first) as { url: string; root: string };

  console.log(`building ${REPOS} repositories (${TEMPLATES} templates) …`);
  for (let t = 0; t < TEMPLATES; t++) {
    const dir = join(work, `template${t}`);
    await buildTemplate(dir, t);
    await run('git', ['clone', '-q', '--bare', dir, join(root, `template${t}.git`)]);
    await run('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: join(root, `template${t}.git`) });
  }
  const names = Array.from({ length: REPOS }, (_, i) => `stadt${i}/projekt`);
  for (const [i, name] of names.entries()) await cp(join(root, `template${i % TEMPLATES}.git`), join(root, `${name}.git`), { recursive: true });

  // Reference: native shallow clones, same concurrency.
  const clones = join(work, 'clones');
  await mkdir(clones);
  const started = performance.now();
  await pool(names, CONCURRENCY, async (name) => {
    await run('git', ['clone', '-q', '--depth', '1', `${url}/${name}.git`, join(clones, name.replace('/', '_'))]);
  });
  const nativeMs = performance.now() - started;

  const dbName = `transferhub_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const migrate = await openPostgres(databaseUrl(dbName), { max: 1 });
  await migrate.migrate();
  await migrate.close();
  const config = loadConfig({ DATABASE_URL: databaseUrl(dbName), HUB_DEMO: 'false', HUB_ALLOW_PRIVATE_HOSTS: 'true', HUB_WORKER_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'warn' });
  const deps = await createDeps(config, { logger: pino({ level: 'warn' }) });
  const hub = deps.hub;
  const queue = hub.queue as InProcessQueue;
  const adminPrincipal = { kind: 'admin-env' } as const;
  const org = await createOrganisation(hub.db, adminPrincipal, { name: 'Benchstadt', kind: 'municipality' } as never);
  // Register without crawling, so the crawl is timed on its own.
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = (async () => ({ jobId: 'x', deduplicated: false })) as typeof queue.enqueue;
  const ids: string[] = [];
  for (const name of names) ids.push((await registerRepository(hub, adminPrincipal, { url: `${url}/${name}`, organisationId: org.id })).repository.id);
  queue.enqueue = enqueue;

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu: number[] = [];
  const serverCpu: number[] = [];
  /** The git server's CPU time with that of its finished children (each request's git-http-backend), in ms. */
  const serverTicks = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
  };
  const crawlAll = async () => {
    const t = performance.now();
    const c = process.cpuUsage();
    const server = serverTicks();
    for (const id of ids) await queue.enqueue(crawlRepositoryJob, { repositoryId: id, reason: 'manual' });
    await queue.idle();
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    serverCpu.push(serverTicks() - server);
    return performance.now() - t;
  };
  const firstMs = await crawlAll();
  const states1 = await hub.db.execute('select crawl_state, count(*)::int as n from repository group by 1' as never);
  const againMs = await crawlAll();
  const states2 = await hub.db.execute('select crawl_state, count(*)::int as n from repository group by 1' as never);
  clearInterval(sampler);

  const perMin = (ms: number) => ((REPOS / ms) * 60_000).toFixed(0);
  const rows = (r: unknown) => JSON.stringify((r as { rows: unknown[] }).rows);
  console.log(`repositories: ${REPOS}, concurrency ${CONCURRENCY}, images ${IMAGES_KB} KB per repository`);
  console.log(`native git clone --depth 1: ${(nativeMs / 1000).toFixed(2)} s  (${perMin(nativeMs)} repos/min)`);
  console.log(`first crawl:                ${(firstMs / 1000).toFixed(2)} s  (${perMin(firstMs)} repos/min)  ${(firstMs / nativeMs).toFixed(2)}× native  states ${rows(states1)}`);
  console.log(`unchanged re-crawl:         ${(againMs / 1000).toFixed(2)} s  (${perMin(againMs)} repos/min)  ${(firstMs / againMs).toFixed(1)}× faster than first  states ${rows(states2)}`);
  console.log(`crawler CPU (this process): first ${(cpu[0]! / REPOS).toFixed(1)} ms/repo, unchanged ${(cpu[1]! / REPOS).toFixed(1)} ms/repo (${(cpu[0]! / cpu[1]!).toFixed(1)}× less)`);
  console.log(`git server CPU (with git-http-backend): first ${(serverCpu[0]! / REPOS).toFixed(1)} ms/repo, unchanged ${(serverCpu[1]! / REPOS).toFixed(1)} ms/repo`);
  console.log(`crawler peak RSS:           ${(peak / 1024 / 1024).toFixed(0)} MiB`);

  await deps.close();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  child.stdin!.end();
  await rm(work, { recursive: true, force: true });
}

const kindAt = process.argv.indexOf('--kind');
const kind = kindAt > 0 ? process.argv[kindAt + 1] : 'realistic';
const modesAt = process.argv.indexOf('--modes');
const modes = modesAt > 0 ? process.argv[modesAt + 1]!.split(',') : ['embedded', 'server'];
if (kind === 'pathological') await benchPathological({ files: arg('files', 1500), modes });
else if (kind === 'realistic') await main();
else throw new Error(`unknown --kind ${kind} (realistic, pathological)`);

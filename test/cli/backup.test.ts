import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openPglite, type Database } from '../../src/db/client';
import { createDeps } from '../../src/deps';
import { loadDemoCatalogue } from '../../src/domain/demo/demo-catalogue';
import { resolveWebhookKey, WEBHOOK_KEY_FILE } from '../../src/domain/webhooks/secrets';
import { createLogger } from '../../src/lib/logger';
import { databaseUrl, runPrefix, withAdmin } from '../helpers/database';
import { ADMIN_TOKEN, admin, bearer, createTestHub, organisationWithToken, type TestHub } from '../helpers/hub';
import { publisherWithSoftware } from '../http/fixtures';

// Each CLI run starts Node with tsx and opens a database: seconds on a quiet machine, more under load.
const CLI_MS = 120_000;

type Cli = { code: number; stdout: string; stderr: string };

/** `transferhub backup|restore …` as an operator runs it, from the sources (bin/ would prefer a stale dist/). */
function cli(args: string[], env: Record<string, string>): Promise<Cli> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, HUB_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent', ...env }, timeout: CLI_MS },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Every table of every schema but PostgreSQL's own, listed from information_schema: its row
 * count and an md5 over its rows as text in order. Equal digests mean equal contents.
 */
async function tableDigests(query: (text: string) => Promise<Record<string, unknown>[]>): Promise<Record<string, string>> {
  const tables = await query(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
  );
  const digests: Record<string, string> = {};
  for (const { s, t } of tables as { s: string; t: string }[]) {
    const name = `"${s}"."${t}"`;
    const [row] = await query(`select count(*)::int as n, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as h from ${name} x`);
    digests[name] = `${row!.n} rows, md5 ${row!.h}`;
  }
  return digests;
}

const pgliteDigests = (database: Database) =>
  tableDigests(async (text) => ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows);

async function postgresDigests(url: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await tableDigests(async (text) => (await client.query(text)).rows as Record<string, unknown>[]);
  } finally {
    await client.end();
  }
}

/** The demo catalogue plus what people add through the API: tokens, a release, a reuse (each write an audit event). */
async function fill(app: FastifyInstance) {
  const publisher = await publisherWithSoftware(app, { name: 'Sicherungs-Fachverfahren' });
  const release = await app.inject({
    method: 'POST',
    url: `/v1/software/${publisher.software.id}/releases`,
    headers: bearer(publisher.token),
    payload: { version: '2.1.0', date: '2024-03-01T10:00:00Z', notes: 'Umlaute: äöüß' },
  });
  expect(release.statusCode, release.body).toBe(201);
  const reuser = await organisationWithToken(app, ['reuse'], 'Gemeinde Rücksicherung');
  const reuse = await app.inject({
    method: 'POST',
    url: `/v1/software/${publisher.software.id}/reuses`,
    headers: bearer(reuser.token),
    payload: { status: 'production', versionInUse: '2.1.0', since: '2024-05-01', contact: 'it@example.org' },
  });
  expect(reuse.statusCode, reuse.body).toBe(201);
  const audit = await app.inject({ url: '/v1/audit-events?limit=1', headers: admin });
  expect(audit.statusCode, audit.body).toBe(200);
}

function expectSameTables(source: Record<string, string>, target: Record<string, string>) {
  expect(Object.keys(source).length).toBeGreaterThan(5);
  for (const table of ['"public"."software"', '"public"."release"', '"public"."reuse"', '"public"."api_token"', '"public"."audit_event"']) {
    expect(source[table], table).toBeDefined();
    expect(source[table], table).not.toMatch(/^0 rows/);
  }
  expect(target).toEqual(source);
}

describe('transferhub backup and restore in embedded mode (PGlite data folder)', () => {
  const root = mkdtempSync(join(tmpdir(), 'transferhub-backup-'));
  const source = join(root, 'source');
  const file = join(root, 'hub.tar.gz');
  let digests: Record<string, string>;

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeAll(async () => {
    const database = await openPglite(source);
    await database.migrate();
    const config = loadConfig({ HUB_DATA_DIR: source, HUB_ADMIN_TOKEN: ADMIN_TOKEN, HUB_DEMO_CRAWL: 'false', HUB_RATE_LIMITS: 'false', LOG_LEVEL: 'silent' });
    const deps = await createDeps(config, { logger: createLogger('silent'), database });
    const app = await buildApp(deps.hub);
    try {
      await loadDemoCatalogue(deps.hub);
      await fill(app);
      // While this process has the folder open, a backup is refused with who holds it.
      const refused = await cli(['backup', file], { HUB_DATA_DIR: source, DATABASE_URL: '' });
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(existsSync(file)).toBe(false);
    } finally {
      await app.close();
      await deps.close();
    }
    // Read after the hub closed: its in-process jobs (need matching, the webhook dispatcher) may
    // write until then, and the backup is taken of the folder as they left it.
    const closed = await openPglite(source);
    try {
      digests = await pgliteDigests(closed);
    } finally {
      await closed.close();
    }
  }, CLI_MS * 2);

  it('restores into a new folder a database whose every table equals the source', { timeout: CLI_MS * 2 }, async () => {
    // The data folder's own files travel inside the tarball: without the webhook key the restored
    // subscriptions could not unseal their signing secrets. (The hub above got its database handed
    // in, so the key is made here as an embedded start makes it.)
    resolveWebhookKey(null, source);
    const key = readFileSync(join(source, WEBHOOK_KEY_FILE), 'utf8');
    const made = await cli(['backup', file], { HUB_DATA_DIR: source, DATABASE_URL: '' });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('backup written');
    const target = join(root, 'restored');
    const restored = await cli(['restore', file], { HUB_DATA_DIR: target, DATABASE_URL: '' });
    expect(restored.code, restored.stderr).toBe(0);
    expect(existsSync(join(target, 'transferhub.pid'))).toBe(false);

    expect(readFileSync(join(target, WEBHOOK_KEY_FILE), 'utf8')).toBe(key);
    // PGlite unpacks every file world-writable: the folder itself keeps other local users out.
    expect(statSync(target).mode & 0o777).toBe(0o700);

    const database = await openPglite(target);
    try {
      expectSameTables(digests, await pgliteDigests(database));
    } finally {
      await database.close();
    }
  });

  it('refuses a folder that holds a database, a missing file, a file that is no backup and a damaged one, and leaves the folder as it was', { timeout: CLI_MS * 4 }, async () => {
    const env = (dir: string) => ({ HUB_DATA_DIR: dir, DATABASE_URL: '' });
    const occupied = await cli(['restore', file], env(source));
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toContain('already holds a database');

    const fresh = join(root, 'fresh');
    const missing = await cli(['restore', join(root, 'nope.tar.gz')], env(fresh));
    expect(missing.stderr).toContain('cannot read');
    const text = join(root, 'notes.txt');
    writeFileSync(text, 'keine Sicherung');
    const notBackup = await cli(['restore', text], env(fresh));
    expect(notBackup.stderr).toContain('not a transferhub backup');
    const damaged = join(root, 'damaged.tar.gz');
    writeFileSync(damaged, readFileSync(file).subarray(0, 4096));
    const cut = await cli(['restore', damaged], env(fresh));
    expect(cut.stderr).toContain('damaged');
    for (const result of [missing, notBackup, cut]) expect(result.code).toBe(1);
    expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([]);

    // An existing backup file is kept unless --force.
    const again = await cli(['backup', file], env(source));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
  });
});

describe('transferhub backup and restore in server mode (pg_dump, pg_restore)', () => {
  const root = mkdtempSync(join(tmpdir(), 'transferhub-backup-pg-'));
  const file = join(root, 'hub.dump');
  const target = `${runPrefix()}_restore_${randomBytes(4).toString('hex')}`;
  let hub: TestHub;
  let sourceUrl: string;
  let digests: Record<string, string>;

  beforeAll(async () => {
    hub = await createTestHub({ HUB_DEMO_CRAWL: 'false' });
    sourceUrl = hub.deps.hub.config.databaseUrl!;
    await loadDemoCatalogue(hub.deps.hub);
    await fill(hub.app);
    // Closed first (its database stays until afterAll): in-process jobs may write until the hub stops.
    await hub.app.close();
    await hub.deps.close();
    digests = await postgresDigests(sourceUrl);
    await withAdmin((c) => c.query(`CREATE DATABASE ${target}`));
  }, CLI_MS);

  afterAll(async () => {
    const source = sourceUrl ? new URL(sourceUrl).pathname.slice(1) : null;
    await withAdmin(async (c) => {
      if (source) await c.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    });
    rmSync(root, { recursive: true, force: true });
  });

  it('restores into an empty database one whose every table equals the source', { timeout: CLI_MS * 2 }, async () => {
    const made = await cli(['backup', file], { DATABASE_URL: sourceUrl });
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    const restored = await cli(['restore', file], { DATABASE_URL: databaseUrl(target) });
    expect(restored.code, restored.stderr).toBe(0);
    expectSameTables(digests, await postgresDigests(databaseUrl(target)));
  });

  it('refuses a database with tables unless --force, and a damaged file changes nothing', { timeout: CLI_MS * 3 }, async () => {
    const env = { DATABASE_URL: databaseUrl(target) };
    const refused = await cli(['restore', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');

    const damaged = join(root, 'damaged.dump');
    writeFileSync(damaged, readFileSync(file).subarray(0, 2048));
    const cut = await cli(['restore', damaged, '--force'], env);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('pg_restore failed');
    expect(await postgresDigests(databaseUrl(target))).toEqual(digests);

    const embedded = join(root, 'embedded.tar.gz');
    writeFileSync(embedded, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const wrongMode = await cli(['restore', embedded, '--force'], env);
    expect(wrongMode.stderr).toContain('embedded mode (PGlite)');

    const forced = await cli(['restore', file, '--force'], env);
    expect(forced.code, forced.stderr).toBe(0);
    expectSameTables(digests, await postgresDigests(databaseUrl(target)));
  });
});

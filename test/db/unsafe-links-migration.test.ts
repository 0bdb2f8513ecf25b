import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/client';
import { databaseUrl, runPrefix, withAdmin } from '../helpers/database';

type Journal = { entries: { idx: number; tag: string }[] };

/** A copy of the migrations folder that ends with migration `last` (a database as an older hub left it). */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'transferhub-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
  const dropped = journal.entries.filter((entry) => entry.idx > last).map((entry) => entry.tag);
  journal.entries = journal.entries.filter((entry) => entry.idx <= last);
  writeFileSync(journalFile, JSON.stringify(journal));
  for (const file of readdirSync(dir)) if (dropped.some((tag) => file.startsWith(tag))) rmSync(join(dir, file));
  return dir;
}

describe('migration 0007 removes unsafe links written before the web-url check', () => {
  const older = migrationsUpTo(6);
  // An empty database of this run (the teardown drops it with the others): migrated step by step here.
  const name = `${runPrefix()}_${randomBytes(5).toString('hex')}`;
  let client: pg.Client;
  let db: ReturnType<typeof drizzle<Record<string, never>, pg.Client>>;
  beforeAll(async () => {
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
    client = new pg.Client({ connectionString: databaseUrl(name) });
    client.on('error', () => {});
    await client.connect();
    db = drizzle(client);
  });
  afterAll(async () => {
    await client?.end();
    rmSync(older, { recursive: true, force: true });
  });

  it('nulls javascript:, data: and protocol-relative links, keeps http(s) ones, and logs each removal in the audit log', async () => {
    await migrate(db, { migrationsFolder: older });
    const org = await client.query<{ id: string }>(
      `INSERT INTO organisation (slug, name, kind, website, code_hosting) VALUES ('alt', 'Altstadt', 'municipality', 'javascript:alert(1)',
        '[{"url": "https://gitlab.example/alt", "kind": "gitlab"}, {"url": "JaVaScRiPt:alert(2)", "kind": "github"}, {"url": "//evil.example", "kind": "gitea"}]'::jsonb)
       RETURNING id`,
    );
    const orgId = org.rows[0]!.id;
    await client.query(`INSERT INTO organisation (slug, name, kind, website) VALUES ('gut', 'Gutstadt', 'municipality', 'https://gut.example/')`);
    const software = await client.query<{ id: string }>(
      `INSERT INTO software (slug, name, organisation_id, repository_url) VALUES ('app', 'App', $1, 'data:text/html,<script>x</script>') RETURNING id`,
      [orgId],
    );
    const softwareId = software.rows[0]!.id;
    await client.query(`INSERT INTO release (software_id, version, released_at, url, source) VALUES ($1, '1.0.0', now(), 'javascript:void(0)', 'api'), ($1, '1.1.0', now(), 'https://gitlab.example/alt/-/releases/1.1.0', 'api')`, [
      softwareId,
    ]);

    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const orgs = await client.query<{ slug: string; website: string | null; code_hosting: { url: string }[] }>('SELECT slug, website, code_hosting FROM organisation ORDER BY slug');
    expect(orgs.rows).toEqual([
      { slug: 'alt', website: null, code_hosting: [{ url: 'https://gitlab.example/alt', kind: 'gitlab' }] },
      { slug: 'gut', website: 'https://gut.example/', code_hosting: [] },
    ]);
    expect((await client.query('SELECT repository_url FROM software')).rows).toEqual([{ repository_url: null }]);
    expect((await client.query('SELECT version, url FROM release ORDER BY version')).rows).toEqual([
      { version: '1.0.0', url: null },
      { version: '1.1.0', url: 'https://gitlab.example/alt/-/releases/1.1.0' },
    ]);
    const removed = await client.query<{ entity_type: string; detail: { field: string; value: unknown } }>(
      `SELECT entity_type, detail FROM audit_event WHERE action = 'link.removed' AND actor = 'migration' ORDER BY entity_type, detail->>'field', detail::text`,
    );
    expect(removed.rows.map((row) => [row.entity_type, row.detail.field, row.detail.value])).toEqual([
      ['organisation', 'codeHosting', { url: '//evil.example', kind: 'gitea' }],
      ['organisation', 'codeHosting', { url: 'JaVaScRiPt:alert(2)', kind: 'github' }],
      ['organisation', 'website', 'javascript:alert(1)'],
      ['release', 'url', 'javascript:void(0)'],
      ['software', 'repositoryUrl', 'data:text/html,<script>x</script>'],
    ]);
  }, 120_000);
});

import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../../src/db/client';
import { databaseUrl, runPrefix, templateName, withAdmin } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory (dumpDataDir), which every PGlite test hub starts from. */
    pgliteTemplate: string;
  }
}

/**
 * Once per test run: a template database with every migration applied. Each test file
 * clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of migrating again.
 * The teardown drops every database of this run. Both projects (vitest.config.ts) call this;
 * the first one creates the PostgreSQL template, the PGlite project also a PGlite template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  if (!process.env.TRANSFERHUB_TEST_RUN) {
    process.env.TRANSFERHUB_TEST_RUN = randomBytes(4).toString('hex');
    await createPostgresTemplate();
    teardowns.push(dropRunDatabases);
  }
  if (project.config.env?.TRANSFERHUB_TEST_DB === 'pglite') {
    const file = await createPgliteTemplate();
    project.provide('pgliteTemplate', file);
    teardowns.push(async () => rmSync(file, { force: true }));
  }
  return async () => {
    for (const teardown of teardowns) await teardown();
  };
}

async function createPostgresTemplate() {
  await withAdmin((client) => client.query(`CREATE DATABASE ${templateName()}`));
  const database = await openPostgres(databaseUrl(templateName()), { max: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

async function dropRunDatabases() {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${runPrefix()}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

/**
 * initdb and the migrations take PGlite 5–20 s on a busy 2-core machine; loading this dump
 * takes a fraction of it, so each PGlite test hub starts from it instead.
 */
async function createPgliteTemplate(): Promise<string> {
  const database = await openPglite(null);
  try {
    await database.migrate();
    const client = (database.db as unknown as { $client: { dumpDataDir(compression: 'none'): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir('none');
    const file = join(tmpdir(), `${runPrefix()}_pglite.tar`);
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await database.close();
  }
}

import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { BackupError, commitPartial, dropPartial, expectKind, partialPath, refuseOverwrite } from './backup-file';

const run = promisify(execFile);
/** Debian's and Ubuntu's packages put each PostgreSQL version's programs here, not on PATH. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
// pg_dump's output can be large; only stderr is read (the dump goes to a file), 16 MiB is ample for it.
const MAX_OUTPUT = 16 * 1024 * 1024;

type Tool = 'pg_dump' | 'pg_restore';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * pg_dump and pg_restore: from HUB_PG_BIN_DIR, else PATH, else the newest
 * /usr/lib/postgresql/<version>/bin (pg_dump refuses a server newer than itself, so newest wins).
 */
export function findTool(tool: Tool, options: { binDir: string | null; path?: string }): string {
  if (options.binDir !== null) {
    const configured = join(options.binDir, tool);
    if (executable(configured)) return configured;
    throw new BackupError(`${tool} not found in HUB_PG_BIN_DIR (${options.binDir}) / ${tool} nicht gefunden`);
  }
  for (const dir of (options.path ?? '').split(delimiter).filter(Boolean)) if (executable(join(dir, tool))) return join(dir, tool);
  let versions: string[] = [];
  try {
    versions = readdirSync(DEBIAN_PG_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no Debian PostgreSQL packages
  }
  for (const version of versions) if (executable(join(DEBIAN_PG_ROOT, version, 'bin', tool))) return join(DEBIAN_PG_ROOT, version, 'bin', tool);
  throw new BackupError(
    `${tool} not found on PATH or in ${DEBIAN_PG_ROOT}/<version>/bin: install the PostgreSQL client programs (Debian: postgresql-client) or set HUB_PG_BIN_DIR / ${tool} nicht gefunden`,
  );
}

/**
 * The connection as libpq environment variables rather than a URL argument: the password stays
 * out of the process list, where every user of the machine could read it.
 */
function connection(databaseUrl: string): { env: NodeJS.ProcessEnv; dbname: string } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  // Passed through, not read: the programs' own locale and libpq settings (PGSSLMODE, ~/.pgpass).
  return { env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) }, dbname: url.toString() };
}

async function runTool(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(binary, args, { env, maxBuffer: MAX_OUTPUT });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new BackupError(`${binary.split('/').at(-1)} failed / fehlgeschlagen: ${stderr || (error as Error).message}`);
  }
}

/** Where pg_dump and pg_restore are looked for: HUB_PG_BIN_DIR, then `path` (PATH's folders). */
export type PostgresTools = { binDir: string | null; path?: string };

/** Server mode: `pg_dump -Fc` (compressed, restorable table by table), written beside the target and renamed when complete. */
export async function backupPostgres(databaseUrl: string, file: string, options: PostgresTools & { force?: boolean }): Promise<void> {
  refuseOverwrite(file, options.force ?? false);
  const pgDump = findTool('pg_dump', options);
  const { env, dbname } = connection(databaseUrl);
  const partial = partialPath(file);
  try {
    // Owners and grants are the old server's roles; the restoring role owns what it restores.
    await runTool(pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${dbname}`], env);
    commitPartial(partial, file);
  } catch (error) {
    dropPartial(partial);
    throw error;
  }
}

/** Tables outside PostgreSQL's own schemas: a database with any is someone's data. */
async function tableCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg\\_%'`,
    );
    return result.rows[0]!.n;
  } catch (error) {
    throw new BackupError(`the database is not reachable / Datenbank nicht erreichbar: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Into an empty database; one with tables only with `force` (its tables are dropped and
 * replaced). The file is read through (`pg_restore --list`) before the database is touched, and
 * the restore runs in one transaction: a damaged file or a failure half-way changes nothing.
 */
export async function restorePostgres(file: string, databaseUrl: string, options: PostgresTools & { force?: boolean }): Promise<{ tables: number }> {
  expectKind(file, 'postgres');
  const pgRestore = findTool('pg_restore', options);
  const { env, dbname } = connection(databaseUrl);
  await runTool(pgRestore, ['--list', file], env);
  const existing = await tableCount(databaseUrl);
  if (existing > 0 && !options.force) {
    throw new BackupError(`the database already has ${existing} tables: --force replaces them / die Datenbank ist nicht leer (--force ersetzt sie)`);
  }
  const clean = existing > 0 ? ['--clean', '--if-exists'] : [];
  await runTool(pgRestore, ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', ...clean, `--dbname=${dbname}`, file], env);
  return { tables: await tableCount(databaseUrl) };
}

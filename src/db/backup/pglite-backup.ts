import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openPglite } from '../client';
import { DataDirInUse, LOCK_FILE } from '../data-dir-lock';
import { BackupError, expectKind, refuseOverwrite, writeAtomically } from './backup-file';

/**
 * Embedded mode: PGlite's dumpDataDir, a gzipped tarball of the whole data folder's database.
 * The hub must not run on the folder meanwhile: PGlite is one process's database, and a second
 * opener would copy (or write) pages mid-change. openPglite's lock refuses that with the
 * running hub's process id.
 */
export async function backupPglite(dataDir: string, file: string, options: { force?: boolean } = {}): Promise<{ bytes: number }> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new BackupError(`no embedded database in ${dataDir} (HUB_DATA_DIR) / keine Datenbank im Datenordner`);
  refuseOverwrite(file, options.force ?? false);
  const database = await openInUse(dataDir);
  try {
    const bytes = new Uint8Array(await (await database.dumpDataDir!()).arrayBuffer());
    writeAtomically(file, bytes);
    return { bytes: bytes.byteLength };
  } finally {
    await database.close();
  }
}

/**
 * Into a new data folder, or one without a database, only: a restore never replaces a database
 * (delete or move the old folder first). The tarball is checked before PGlite sees it, and
 * whatever a failed load wrote is removed again, so the folder is as it was.
 */
export async function restorePglite(file: string, dataDir: string): Promise<{ migrations: number }> {
  expectKind(file, 'pglite');
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new BackupError(`${dataDir} (HUB_DATA_DIR) already holds a database: restore into a new folder / der Datenordner enthält schon eine Datenbank`);
  }
  const archive = readFileSync(file);
  checkTarball(file, archive);
  mkdirSync(dataDir, { recursive: true });
  const before = new Set(readdirSync(dataDir));
  try {
    const database = await openInUse(dataDir, { loadDataDir: new Blob([archive], { type: 'application/x-gzip' }) });
    try {
      // The hub's own record of applied migrations: present in every database the hub made.
      const applied = (await database.db.execute('select count(*)::int as n from drizzle.__drizzle_migrations')) as unknown as { rows: { n: number }[] };
      return { migrations: applied.rows[0]?.n ?? 0 };
    } finally {
      await database.close();
      // The tarball carries the lock file of the process that made the backup: not ours to keep.
      rmSync(join(dataDir, LOCK_FILE), { force: true });
    }
  } catch (error) {
    for (const name of readdirSync(dataDir)) if (!before.has(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} could not be restored / konnte nicht wiederhergestellt werden: ${(error as Error).message}`);
  }
}

/** A PGlite dump is a tar (ustar) of the data folder, PG_VERSION among the first entries. */
function checkTarball(file: string, archive: Buffer): void {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch {
    throw new BackupError(`${file} is damaged (not a complete gzip file) / Sicherung beschädigt`);
  }
  const header = tar.subarray(0, 512);
  const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
  if (!ustar || !tar.subarray(0, 64 * 1024).includes('PG_VERSION')) {
    throw new BackupError(`${file} is a gzip file but no PGlite data folder / keine transferhub-Sicherung`);
  }
}

async function openInUse(dataDir: string, options: { loadDataDir?: Blob } = {}) {
  try {
    return await openPglite(dataDir, options);
  } catch (error) {
    if (error instanceof DataDirInUse) throw new BackupError(`${error.message}; a backup needs the folder to itself`);
    throw error;
  }
}

import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** A backup that cannot be made or restored, in words for the operator (German and English). */
export class BackupError extends Error {}

export type BackupKind = 'pglite' | 'postgres';

/**
 * What a file is by its first bytes: PGlite's dumpDataDir writes a gzipped tarball (1f 8b),
 * pg_dump's custom format starts with "PGDMP". Anything else is not a transferhub backup, and
 * is refused before a database or folder is touched.
 */
export function backupKind(file: string): BackupKind {
  let head: Buffer;
  try {
    if (!statSync(file).isFile()) throw new BackupError(`not a file / keine Datei: ${file}`);
    const fd = openSync(file, 'r');
    head = Buffer.alloc(5);
    const read = readSync(fd, head, 0, 5, 0);
    closeSync(fd);
    head = head.subarray(0, read);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`cannot read / nicht lesbar: ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  throw new BackupError(`not a transferhub backup / keine transferhub-Sicherung: ${file}`);
}

/** A backup of one mode restored in the other would need a conversion the hub does not make. */
export function expectKind(file: string, mode: BackupKind): void {
  const kind = backupKind(file);
  if (kind === mode) return;
  const name = (k: BackupKind) => (k === 'pglite' ? 'embedded mode (PGlite)' : 'server mode (PostgreSQL)');
  throw new BackupError(`${file} is a backup of ${name(kind)}, but the hub is configured for ${name(mode)} (DATABASE_URL) / Sicherung und Betriebsart passen nicht zusammen`);
}

/** An existing file is someone's earlier backup: replaced only when asked to. */
export function refuseOverwrite(file: string, force: boolean): void {
  if (existsSync(file) && !force) throw new BackupError(`${file} exists; --force replaces it / Datei existiert schon`);
}

/** The partial file beside the target, renamed over it when complete: a failed backup leaves the old file whole. */
export const partialPath = (file: string) => `${file}.partial-${process.pid}`;

export function commitPartial(partial: string, file: string): void {
  renameSync(partial, file);
}

export function dropPartial(partial: string): void {
  rmSync(partial, { force: true });
}

export function writeAtomically(file: string, bytes: Uint8Array): void {
  const partial = partialPath(file);
  try {
    writeFileSync(partial, bytes);
    commitPartial(partial, file);
  } catch (error) {
    dropPartial(partial);
    throw error;
  }
}

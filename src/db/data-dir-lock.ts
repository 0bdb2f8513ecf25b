import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside PGlite's files in HUB_DATA_DIR: the id of the process that has the database open. */
export const LOCK_FILE = 'transferhub.pid';

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data folder ${dataDir} is in use by process ${pid} (a running hub): stop it first / der Datenordner wird von Prozess ${pid} benutzt: erst beenden`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process that has the PGlite database in `dataDir` open, or null. */
export function dataDirHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
}

/**
 * PGlite is one PostgreSQL backend over plain files: a second process opening the same folder
 * (a second `npm start`, a backup while the hub runs) would write over the first one's pages.
 * PGlite's own postmaster.pid holds no real process id, so the hub writes its own; a file left by
 * a killed process names a dead process and is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const holder = dataDirHolder(dataDir);
  if (holder !== null) throw new DataDirInUse(dataDir, holder);
  const file = join(dataDir, LOCK_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (dataDirHolder(dataDir) === null) rmSync(file, { force: true });
  };
}

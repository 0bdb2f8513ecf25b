import { resolve } from 'node:path';
import { loadConfigOrExit } from '../../config.js';
import { BackupError } from '../../db/backup/backup-file.js';
import { backupPglite, restorePglite } from '../../db/backup/pglite-backup.js';
import { backupPostgres, restorePostgres } from '../../db/backup/postgres-backup.js';
import { EXIT_NEGATIVE, EXIT_OK } from './exit-codes.js';

type Options = { force: boolean };

/** The mode follows the hub's own configuration: DATABASE_URL set is server mode, else HUB_DATA_DIR's PGlite. */
function target() {
  const config = loadConfigOrExit();
  // The command line passes PATH on to find pg_dump; the hub itself never reads it.
  const tools = { binDir: config.pgBinDir, path: process.env.PATH };
  return { config, tools };
}

async function reported(work: () => Promise<string>): Promise<number> {
  try {
    console.log(await work());
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(error.message);
    return EXIT_NEGATIVE;
  }
}

/** `transferhub backup <file> [--force]` */
export function backup(file: string, options: Options): Promise<number> {
  const { config, tools } = target();
  const out = resolve(file);
  return reported(async () => {
    if (config.databaseUrl) {
      await backupPostgres(config.databaseUrl, out, { ...tools, force: options.force });
      return `backup written / Sicherung geschrieben: ${out} (server mode, pg_dump custom format)`;
    }
    const { bytes } = await backupPglite(config.dataDir, out, { force: options.force });
    return `backup written / Sicherung geschrieben: ${out} (embedded mode, ${config.dataDir}, ${Math.round(bytes / 1024)} KiB)`;
  });
}

/** `transferhub restore <file> [--force]` */
export function restore(file: string, options: Options): Promise<number> {
  const { config, tools } = target();
  const from = resolve(file);
  return reported(async () => {
    if (config.databaseUrl) {
      const { tables } = await restorePostgres(from, config.databaseUrl, { ...tools, force: options.force });
      return `restored / wiederhergestellt: ${from} (server mode, ${tables} tables)`;
    }
    const { migrations } = await restorePglite(from, config.dataDir);
    return `restored / wiederhergestellt: ${from} into ${config.dataDir} (embedded mode, ${migrations} migrations applied in the backup; the hub applies newer ones at start)`;
  });
}

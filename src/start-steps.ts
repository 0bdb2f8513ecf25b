import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';
import { openPglite, openPostgres, type Database } from './db/client';
import type { AdminCredential, EmbeddedAdmin } from './domain/auth/admin-token';
import type { Logger } from './lib/logger';

/**
 * What a start does, logged as it happens: the first start of embedded mode can take a minute
 * on a busy machine (initdb, migrations, demo catalogue), and silence looks like a hang.
 */
export async function step<T>(logger: Logger, what: string, work: () => Promise<T>): Promise<T> {
  logger.info(`${what} …`);
  const started = performance.now();
  const result = await work();
  logger.info({ ms: Math.round(performance.now() - started) }, `${what}: done`);
  return result;
}

export function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const { host, pathname } = new URL(config.databaseUrl);
    return step(logger, `opening PostgreSQL ${host}${pathname}`, () => openPostgres(config.databaseUrl!));
  }
  const what = existsSync(join(config.dataDir, 'PG_VERSION'))
    ? `opening the embedded database in ${config.dataDir}`
    : `creating the embedded database in ${config.dataDir} (first start, may take a minute)`;
  return step(logger, what, () => openPglite(config.dataDir));
}

/** Shows a newly generated admin token once, with how to use it; only its hash is kept. */
export function announceGeneratedAdmin(logger: Logger, admin: EmbeddedAdmin): AdminCredential {
  if (admin.newSecret !== null) {
    // warn: still shown when LOG_LEVEL hides info, since the secret is never shown again.
    logger.warn(
      { adminTokenFile: admin.file },
      `generated an admin token, shown only this once: ${admin.newSecret}\n` +
        `  Use it for writes: curl -H "Authorization: Bearer ${admin.newSecret}" …\n` +
        `  Only its hash is stored (${admin.file}); lost it? Delete that file and restart for a new one, or set HUB_ADMIN_TOKEN.`,
    );
  }
  return { tokenHash: admin.tokenHash, source: admin.source };
}

/** Says on every start whether writes are possible, and how. */
export function announceWrites(logger: Logger, admin: AdminCredential | null | undefined, adminTokenFile: string) {
  if (admin?.source === 'HUB_ADMIN_TOKEN') {
    logger.info('writes: enabled for the admin token from HUB_ADMIN_TOKEN and for organisation tokens');
  } else if (admin?.source === 'generated') {
    logger.info(`writes: enabled for the admin token generated at the first start (its hash is in ${adminTokenFile}) and for organisation tokens`);
  } else {
    logger.warn(
      'writes: only with existing organisation tokens; no admin token is configured, so no organisation or token can be created: set HUB_ADMIN_TOKEN (16+ characters) and restart',
    );
  }
}

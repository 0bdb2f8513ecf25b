import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken, TOKEN_PREFIX } from './token-secret';

/** The admin secret the hub accepts, as a hash, and where it came from. */
export type AdminCredential = { tokenHash: string; source: 'HUB_ADMIN_TOKEN' | 'generated' };

/** Lives beside PGlite's files in HUB_DATA_DIR, so it goes wherever the data goes (and is deleted with it). */
export const ADMIN_TOKEN_FILE = 'transferhub-admin-token.sha256';

export type EmbeddedAdmin = AdminCredential & {
  file: string;
  /** The secret, only on the start that generated it: shown once, never stored. */
  newSecret: string | null;
};

/**
 * Embedded mode without HUB_ADMIN_TOKEN: the first start generates an admin token and stores
 * only its SHA-256 (mode 0600); later starts read the hash. Deleting the file and restarting
 * replaces a lost token.
 */
export function embeddedAdminToken(dataDir: string): EmbeddedAdmin {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const tokenHash = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(tokenHash)) return { tokenHash, source: 'generated', file, newSecret: null };
  }
  const secret = `${TOKEN_PREFIX}admin_${randomBytes(32).toString('base64url')}`;
  const tokenHash = hashToken(secret);
  writeFileSync(file, `${tokenHash}\n`, { mode: 0o600 });
  return { tokenHash, source: 'generated', file, newSecret: secret };
}

/** The configured HUB_ADMIN_TOKEN as a credential (its hash, so both sources compare alike). */
export function configuredAdminToken(adminToken: string | null): AdminCredential | null {
  return adminToken === null ? null : { tokenHash: hashToken(adminToken), source: 'HUB_ADMIN_TOKEN' };
}

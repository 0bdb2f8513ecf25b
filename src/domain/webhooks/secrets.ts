import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside PGlite's files in HUB_DATA_DIR (mode 0600), like the generated admin token: it goes wherever the data goes. */
export const WEBHOOK_KEY_FILE = 'transferhub-webhook.key';

/**
 * The key that seals subscription secrets at rest. The signature needs the secret itself (HMAC),
 * so it cannot be stored as a hash like API tokens; sealing it keeps a database dump (backup,
 * support copy) from handing out every organisation's signing secret. HUB_WEBHOOK_SECRET_KEY wins;
 * embedded mode without it generates a key file on first start. Null: no key (server mode without
 * the variable): subscriptions are refused with a clear problem instead of storing plain secrets.
 */
export function resolveWebhookKey(secretKey: string | null, embeddedDataDir: string | null): Buffer | null {
  if (secretKey !== null) return createHash('sha256').update(secretKey).digest();
  if (embeddedDataDir === null) return null;
  const file = join(embeddedDataDir, WEBHOOK_KEY_FILE);
  if (existsSync(file)) {
    const stored = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (stored.length === 32) return stored;
  }
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the spec allows 24–64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url; tampering fails the tag check. */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

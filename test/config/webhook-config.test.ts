import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('webhook settings', () => {
  it('default to about a day of retries, 15 s per attempt and disabling after 5 failing days', () => {
    const { webhooks } = loadConfig({});
    expect(webhooks).toMatchObject({ secretKey: null, timeoutMs: 15_000, connectTimeoutMs: 5000, attempts: 14, retryBaseMs: 30_000, disableAfterDays: 5, dispatchEveryMs: 5000, secretOverlapMs: 24 * 3_600_000 });
  });

  it('refuse a secret key shorter than 32 characters and out-of-range numbers', () => {
    expect(() => loadConfig({ HUB_WEBHOOK_SECRET_KEY: 'kurz' })).toThrow(new ConfigError('HUB_WEBHOOK_SECRET_KEY must be at least 32 characters long'));
    expect(() => loadConfig({ HUB_WEBHOOK_ATTEMPTS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_WEBHOOK_TIMEOUT_SECONDS: 'lang' })).toThrow(ConfigError);
    expect(loadConfig({ HUB_WEBHOOK_SECRET_KEY: 'x'.repeat(32), HUB_WEBHOOK_TIMEOUT_SECONDS: '2' }).webhooks).toMatchObject({ secretKey: 'x'.repeat(32), timeoutMs: 2000 });
  });
});

import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { MAX_DELAY_FACTOR, failureStreak, parseRetryAfter, retryDelayMs } from '../../src/domain/webhooks/retry-policy';
import { newWebhookSecret, seal, unseal } from '../../src/domain/webhooks/secrets';
import { signedHeaders } from '../../src/domain/webhooks/signing';

describe('Standard Webhooks signatures', () => {
  it('match the published test vector of the specification', () => {
    // The reference vector of the Standard Webhooks specification (and of the svix libraries).
    const headers = signedHeaders({
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      at: new Date(1614265330 * 1000),
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('carry one signature per secret during a rotation, and a receiver holding either secret verifies', () => {
    const [fresh, old, stranger] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: 'release.published', data: { version: '1.2.0' } });
    const headers = signedHeaders({ messageId: 'msg_1', body, secrets: [fresh, old], at: new Date() });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(fresh).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(old).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow();
    expect(() => new Webhook(fresh).verify(body.replace('1.2.0', '6.6.6'), headers)).toThrow();
  });

  it('secrets are whsec_ with 32 random bytes, as receivers libraries expect', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('secrets sealed at rest', () => {
  const key = randomBytes(32);

  it('open again with the same key and never contain the secret', () => {
    const secret = newWebhookSecret();
    const sealed = seal(key, secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(unseal(key, sealed)).toBe(secret);
    expect(seal(key, secret)).not.toBe(sealed);
  });

  it('refuse another key and a tampered value', () => {
    const sealed = seal(key, newWebhookSecret());
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('whsec_forged').toString('base64url');
    expect(() => unseal(key, parts.join('.'))).toThrow();
  });
});

describe('the retry policy', () => {
  const base = 30_000;

  it('doubles the delay per failed attempt, with jitter between half and the whole of it', () => {
    expect(retryDelayMs({ failed: 1, baseMs: base, retryAfterMs: null, random: () => 0 })).toBe(15_000);
    expect(retryDelayMs({ failed: 1, baseMs: base, retryAfterMs: null, random: () => 1 })).toBe(30_000);
    expect(retryDelayMs({ failed: 4, baseMs: base, retryAfterMs: null, random: () => 1 })).toBe(240_000);
    expect(retryDelayMs({ failed: 40, baseMs: base, retryAfterMs: null, random: () => 1 })).toBe(base * MAX_DELAY_FACTOR);
  });

  it('spreads the default 14 attempts over about a day', () => {
    let total = 0;
    for (let failed = 1; failed < 14; failed++) total += retryDelayMs({ failed, baseMs: base, retryAfterMs: null, random: () => 1 });
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });

  it('waits at least what Retry-After asks, within the cap', () => {
    expect(retryDelayMs({ failed: 1, baseMs: base, retryAfterMs: 120_000, random: () => 0 })).toBe(120_000);
    expect(retryDelayMs({ failed: 1, baseMs: base, retryAfterMs: 30 * 86_400_000, random: () => 0 })).toBe(base * MAX_DELAY_FACTOR);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('counts failing days in a row once each, restarts after a gap, and disables at the limit', () => {
    const at = (iso: string) => new Date(iso);
    let state = { failureDays: 0, lastFailureDay: null as string | null };
    const fail = (iso: string) => {
      const next = failureStreak(state, at(iso), 3);
      state = next;
      return next;
    };
    expect(fail('2026-12-01T01:00:00Z')).toMatchObject({ failureDays: 1, disable: false });
    expect(fail('2026-12-01T23:00:00Z')).toMatchObject({ failureDays: 1, disable: false });
    expect(fail('2026-12-02T00:30:00Z')).toMatchObject({ failureDays: 2, disable: false });
    // A day without failures between: the streak starts again.
    expect(fail('2026-12-04T08:00:00Z')).toMatchObject({ failureDays: 1, disable: false });
    expect(fail('2026-12-05T08:00:00Z')).toMatchObject({ failureDays: 2, disable: false });
    expect(fail('2026-12-06T08:00:00Z')).toMatchObject({ failureDays: 3, disable: true });
  });
});

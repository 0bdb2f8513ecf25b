import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('keeps federation off by default and refuses to turn it on without HUB_PUBLIC_URL', () => {
    expect(loadConfig({}).federation).toBe(false);
    expect(() => loadConfig({ HUB_FEDERATION: 'true' })).toThrow(/^HUB_FEDERATION=true needs HUB_PUBLIC_URL/);
    expect(loadConfig({ HUB_FEDERATION: 'true', HUB_PUBLIC_URL: 'https://hub.example.org' }).federation).toBe(true);
  });

  it('lets the heap grow 50 % past its live objects by default (0: the V8 rule), and refuses other values', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(50);
    expect(loadConfig({ HUB_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ HUB_HEAP_GROWTH_PERCENT: '120' }).heapGrowthPercent).toBe(120);
    for (const bad of ['-5', 'half', '1001']) expect(() => loadConfig({ HUB_HEAP_GROWTH_PERCENT: bad }), bad).toThrow(/HUB_HEAP_GROWTH_PERCENT/);
  });

  it('reads LOG_LEVEL case-insensitively and defaults to info', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({}).logLevel).toBe('info');
  });

  it('keeps GET /metrics behind the admin token unless HUB_METRICS says otherwise, and refuses other values', () => {
    expect(loadConfig({}).metrics).toBe('token');
    expect(loadConfig({ HUB_METRICS: 'public' }).metrics).toBe('public');
    expect(() => loadConfig({ HUB_METRICS: 'yes' })).toThrow(new ConfigError('HUB_METRICS must be one of off, public, token, got "yes"'));
  });

  it('refuses a LOG_LEVEL pino does not know, naming the accepted ones', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'));
  });

  it('accepts an IP address or a host name as HOST and refuses anything else', () => {
    for (const host of ['127.0.0.1', '::', 'localhost', 'hub.example.org']) expect(loadConfig({ HOST: host }).host).toBe(host);
    for (const host of ['http://localhost', 'local host', '0.0.0.0:8080']) {
      expect(() => loadConfig({ HOST: host }), host).toThrow(`HOST must be an IP address or a host name, got "${host}"`);
    }
  });

  it('reads HUB_TRUST_PROXY as a flag, a hop count or addresses and ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ HUB_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ HUB_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ HUB_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1,::1');
    expect(() => loadConfig({ HUB_TRUST_PROXY: 'proxy.local' })).toThrow(ConfigError);
  });

  it('turns rate limits on by default and off with HUB_RATE_LIMITS=false', () => {
    expect(loadConfig({}).rateLimits).toEqual({ authFailures: 20, search: 600, writes: 300, webhooks: 600 });
    expect(loadConfig({ HUB_RATE_LIMITS: 'false' }).rateLimits).toBeNull();
    expect(() => loadConfig({ HUB_RATE_LIMIT_SEARCH: '0' })).toThrow(ConfigError);
  });
});

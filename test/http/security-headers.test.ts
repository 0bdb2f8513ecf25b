import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestHub, type TestHub } from '../helpers/hub';

/** Headers a browser enforces: what the hub answers must not be sniffed, framed, cached when private, or leak referrers. */
let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => hub?.close());

const cspOf = (headers: Record<string, unknown>) => String(headers['content-security-policy'] ?? '');
const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((part) => part.trim())
    .find((part) => part === name || part.startsWith(`${name} `));

describe('security headers', () => {
  it.each(['/v1/organisations', '/openapi.json', '/health', '/', '/docs/', '/docs/static/swagger-ui.css', '/v1/software/gibt-es-nicht'])(
    '%s answers with nosniff, a referrer policy and no framing',
    async (url) => {
      const response = await hub.app.inject(url);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(directive(cspOf(response.headers), 'frame-ancestors')).toBe("frame-ancestors 'none'");
    },
  );

  it('API answers forbid every kind of content, so a JSON answer opened as a page runs nothing', async () => {
    const csp = cspOf((await hub.app.inject('/v1/organisations')).headers);
    expect(directive(csp, 'default-src')).toBe("default-src 'none'");
  });

  it('the docs page allows scripts and styles from its own origin only (Swagger UI sets inline styles), nothing from elsewhere', async () => {
    const response = await hub.app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    const csp = cspOf(response.headers);
    expect(directive(csp, 'default-src')).toBe("default-src 'none'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self'");
    expect(csp).not.toMatch(/https:|\*/);
    // Every script the page loads comes from the hub itself.
    const scripts = [...response.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src).not.toMatch(/^(https?:)?\/\//);
  });

  it('pages allow scripts, styles and fonts from the hub only, never inline script, and no framing', async () => {
    for (const url of ['/', '/search?q=x', '/sign-in', '/seite-gibt-es-nicht']) {
      const response = await hub.app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.headers['content-type'], url).toBe('text/html; charset=utf-8');
      const csp = cspOf(response.headers);
      expect(directive(csp, 'script-src'), url).toBe("script-src 'self'");
      expect(directive(csp, 'style-src'), url).toBe("style-src 'self'");
      expect(directive(csp, 'frame-ancestors'), url).toBe("frame-ancestors 'none'");
      expect(directive(csp, 'base-uri'), url).toBe("base-uri 'none'");
      expect(csp, url).not.toMatch(/unsafe-inline|https:|\*/);
      expect(response.body, url).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(response.body, url).not.toMatch(/\sstyle=/);
    }
  });

  it('answers to requests with a token are never stored by caches; public reads carry no such rule', async () => {
    const authenticated = await hub.app.inject({ url: '/v1/organisations', headers: admin });
    expect(authenticated.headers['cache-control']).toBe('no-store');
    const refused = await hub.app.inject({ url: '/v1/organisations', headers: { authorization: 'Bearer thub_unknown' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const anonymous = await hub.app.inject('/v1/organisations');
    expect(anonymous.headers['cache-control']).toBeUndefined();
  });
});

describe('CORS', () => {
  const origin = 'https://www.musterstadt.de';

  it('a cross-origin GET of the API or the OpenAPI document may be read by any origin, without credentials', async () => {
    for (const url of ['/v1/organisations', '/v1/software', '/openapi.json']) {
      const response = await hub.app.inject({ url, headers: { origin } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['access-control-allow-origin'], url).toBe('*');
      expect(response.headers['access-control-allow-credentials'], url).toBeUndefined();
    }
  });

  it('a cross-origin preflight for a GET is allowed for GET and HEAD only', async () => {
    const response = await hub.app.inject({
      method: 'OPTIONS',
      url: '/v1/software',
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(response.headers['access-control-allow-headers']).toBeUndefined();
  });

  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('a cross-origin preflight for %s gets no permission, so browsers block the write', async (method) => {
    const response = await hub.app.inject({
      method: 'OPTIONS',
      url: '/v1/software',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.statusCode).toBeLessThan(500);
    for (const header of Object.keys(response.headers)) expect(header).not.toMatch(/^access-control-/);
  });

  it('a cross-origin preflight that asks to send a token is refused too, so authenticated reads stay same-origin', async () => {
    const response = await hub.app.inject({
      method: 'OPTIONS',
      url: '/v1/audit-events',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(response.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('a write sent anyway from another origin carries no permission to read its answer', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: { origin, ...admin },
      payload: { name: 'CORS-Stadt', kind: 'municipality' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the docs behind a proxy', () => {
  let proxied: TestHub;
  beforeAll(async () => {
    proxied = await createTestHub({ HUB_PUBLIC_URL: 'https://katalog.example.de/transferhub/' });
  });
  afterAll(async () => proxied?.close());

  it('may also call the public address the API document names ("Try it out"), and nothing else', async () => {
    const csp = cspOf((await proxied.app.inject('/docs/')).headers);
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' https://katalog.example.de");
  });
});

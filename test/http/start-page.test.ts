import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';

describe('the start page', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub.close());

  it('GET / answers a small page in German and English that links to the docs, the OpenAPI document and the quick start', async () => {
    const page = await hub.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/<html lang="de">/);
    expect(page.body).toMatch(/lang="en"/);
    expect(page.body).toContain('Register für Open-Source-Software');
    expect(page.body).toContain('open-source software');
    const links = [...page.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual(expect.arrayContaining(['/docs', '/openapi.json', '/README.md']));
    for (const link of links) {
      const target = await hub.app.inject(link);
      expect([200, 302], `${link} answers ${target.statusCode}`).toContain(target.statusCode);
    }
    const readme = await hub.app.inject('/README.md');
    expect(readme.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(readme.body).toContain('## Quick start');
  });

  it('is not part of the API document', async () => {
    const document = (await hub.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).not.toContain('/');
    expect(Object.keys(document.paths)).not.toContain('/README.md');
  });
});

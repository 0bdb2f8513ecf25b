import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';

describe('the start page', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub.close());

  it('GET / is the German start page with a search box, and links to the docs, the OpenAPI document and the quick start', async () => {
    const page = await hub.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/<html lang="de">/);
    expect(page.body).toContain('Software für Kommunen finden und nachnutzen');
    expect(page.body).toMatch(/<form[^>]*method="get" action="\/search"/);
    const links = [...page.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(links).toEqual(expect.arrayContaining(['/docs', '/openapi.json', '/README.md']));
    for (const link of links) {
      const target = await hub.app.inject(link);
      expect([200, 302], `${link} answers ${target.statusCode}`).toContain(target.statusCode);
    }
    const readme = await hub.app.inject('/README.md');
    expect(readme.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(readme.body).toContain('## Quick start');
  });

  it('speaks English when asked by ?lang=en (remembered in a cookie) or by Accept-Language, German otherwise', async () => {
    const switched = await hub.app.inject('/?lang=en');
    expect(switched.body).toMatch(/<html lang="en">/);
    const cookie = String(switched.headers['set-cookie']).match(/th_lang=en/);
    expect(cookie).not.toBeNull();
    const remembered = await hub.app.inject({ url: '/', headers: { cookie: 'th_lang=en', 'accept-language': 'de' } });
    expect(remembered.body).toMatch(/<html lang="en">/);
    const accepted = await hub.app.inject({ url: '/', headers: { 'accept-language': 'fr;q=0.9, en-GB;q=0.8, de;q=0.1' } });
    expect(accepted.body).toMatch(/<html lang="en">/);
    const other = await hub.app.inject({ url: '/', headers: { 'accept-language': 'fr' } });
    expect(other.body).toMatch(/<html lang="de">/);
  });

  it('the KERN stylesheet is served compressed under a hashed URL that caches for a year', async () => {
    const page = await hub.app.inject('/');
    const href = /<link rel="stylesheet" href="(\/assets\/kern\.[0-9a-f]{12}\.css)">/.exec(page.body)![1]!;
    const css = await hub.app.inject({ url: href, headers: { 'accept-encoding': 'gzip, br' } });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.rawPayload.length).toBeLessThan(60_000);
    const font = await hub.app.inject(/href="(\/assets\/kern-[\d.]+\/fonts\/fira-sans\.css)"/.exec(page.body)![1]!);
    expect(font.statusCode).toBe(200);
  });

  it('a browser asking for a page that does not exist gets the HTML 404; the API keeps problem+json', async () => {
    const page = await hub.app.inject({ url: '/gibt-es-nicht', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Seite nicht gefunden');
    const api = await hub.app.inject({ url: '/v1/gibt-es-nicht', headers: { accept: 'text/html' } });
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is not part of the API document', async () => {
    const document = (await hub.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const path of ['/', '/README.md', '/search', '/software/{slug}', '/sign-in']) expect(Object.keys(document.paths)).not.toContain(path);
  });

  it('answers /favicon.ico with an icon kept for 30 days, and pages name a hashed SVG icon kept for a year', async () => {
    const ico = await hub.app.inject('/favicon.ico');
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.headers['cache-control']).toBe('public, max-age=2592000');
    expect(ico.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const page = await hub.app.inject('/');
    const href = /<link rel="icon" href="(\/assets\/favicon\.[0-9a-f]{12}\.svg)" type="image\/svg\+xml">/.exec(page.body)![1]!;
    const svg = await hub.app.inject(href);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('German paths lead to their page with the query kept; the pages keep one address each', async () => {
    for (const [alias, target] of [
      ['/suche?q=Karte&licence=MIT', '/search?q=Karte&licence=MIT'],
      ['/%C3%BCber', '/about'],
      ['/ueber', '/about'],
      ['/programm', '/programme'],
      ['/bedarfe', '/needs'],
      ['/anmelden', '/sign-in'],
      ['/organisationen/musterstadt', '/organisations/musterstadt'],
    ]) {
      const res = await hub.app.inject({ url: alias!, headers: { accept: 'text/html' } });
      expect(res.statusCode, alias).toBe(301);
      expect(res.headers.location, alias).toBe(target);
    }
  });

  it('the footer leads to /about, which shows the README sanitised, in English and marked so, with a table of contents', async () => {
    const start = await hub.app.inject('/');
    expect(start.body).toMatch(/<a class="kern-link" href="\/about">Über transferhub<\/a>/);
    const about = await hub.app.inject('/about');
    expect(about.statusCode).toBe(200);
    expect(about.headers['content-security-policy']).toContain("script-src 'self'");
    expect(about.body).toMatch(/<h1 class="kern-heading-x-large">Über transferhub<\/h1>/);
    expect(about.body).toMatch(/<div class="th-readme kern-body th-section" lang="en"><h2>transferhub<\/h2>\s*<h3 id="about-1">Quick start<\/h3>/);
    expect(about.body).toContain('<a class="kern-link" href="#about-1">Quick start</a>');
    // The README's HTML example of a badge stays code, not an image from another host.
    expect(about.body).not.toMatch(/<img[^>]*src="https:\/\/hub\.example\.org/);
    expect(about.body).toContain('&lt;img src="https://hub.example.org/');
    expect((await hub.app.inject('/about?lang=en')).body).toMatch(/<h1 class="kern-heading-x-large">About transferhub<\/h1>/);
  });

  it('no link on the pages leads nowhere', async () => {
    const seen = new Set<string>();
    for (const path of ['/', '/search', '/search?q=x', '/about', '/programme', '/needs', '/sign-in']) {
      const res = await hub.app.inject({ url: path, headers: { accept: 'text/html' } });
      for (const [, href] of res.body.matchAll(/href="(\/[^"#]*)/g)) seen.add(href!.replace(/&amp;/g, '&'));
    }
    expect(seen.size).toBeGreaterThan(10);
    for (const link of seen) {
      const target = await hub.app.inject({ url: link, headers: { accept: 'text/html' } });
      expect([200, 301, 302, 303], `${link} answers ${target.statusCode}`).toContain(target.statusCode);
    }
  });
});

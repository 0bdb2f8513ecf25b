import { describe, expect, it } from 'vitest';
import { fileUrls } from '../../src/domain/crawl/host-urls';
import { renderReadme } from '../../src/domain/crawl/readme';

/*
 * The README HTML is embedded in the hub's pages: it must not clobber the page's own DOM names,
 * reach other hosts through protocol-relative URLs, or make a visitor's browser fetch images from
 * third parties before the visitor agrees (a public body's page may not hand out visitors' IPs).
 */
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

function html(markdown: string, url = 'https://github.com/stadt-ulm/app', hostKind: 'github' | 'git' = 'github') {
  const rendered = renderReadme({ path: 'README.md', content: Buffer.from(markdown) }, fileUrls({ url, hostKind, branch: 'main', commit: COMMIT }), 512 * 1024);
  if ('skipped' in rendered) throw new Error(rendered.skipped);
  return rendered.html;
}

describe('the README sanitiser', () => {
  it('prefixes ids and names with user-content- and keeps in-page anchors pointing at them', () => {
    const out = html('<h2 id="config">Konfiguration</h2>\n\n<a name="install"></a>\n\n<img id="currentScript" name="getElementById" src="logo.png">\n\n[zur Konfiguration](#config)\n');
    expect(out).toContain('id="user-content-config"');
    expect(out).toContain('name="user-content-install"');
    expect(out).toContain('href="#user-content-config"');
    expect(out).not.toMatch(/\b(id|name)="(config|install|currentScript|getElementById)"/);
  });

  it('drops protocol-relative links and shows a protocol-relative image as its alt text', () => {
    const out = html('[Doku](//evil.example/x) <a href="/\\evil.example/y">b</a>\n\n![Karte](//evil.example/pixel.gif)\n');
    expect(out).not.toContain('evil.example');
    expect(out).toContain('Karte');
  });

  it('loads no third-party image until the visitor asks: the address moves to data-external-src', () => {
    const out = html('![Build](https://img.shields.io/badge/build-ok-green) ![Logo](logo.png)\n');
    expect(out).not.toMatch(/\ssrc="https:\/\/img\.shields/);
    expect(out).toMatch(/<img[^>]*data-external-src="https:\/\/img\.shields\.io\/badge\/build-ok-green"/);
    expect(out).toMatch(/<img[^>]*referrerpolicy="no-referrer"/);
    // The repository's own image, served by its host, loads as before.
    expect(out).toContain(`src="https://raw.githubusercontent.com/stadt-ulm/app/${COMMIT}/logo.png"`);
  });

  it('drops a data-external-src written in the README itself, which could carry any scheme', () => {
    const out = html('<img alt="x" data-external-src="javascript:alert(1)">\n');
    expect(out).not.toContain('javascript:');
  });

  it('drops picture sources, whose srcset would fetch third-party images unmarked', () => {
    const out = html('<picture><source srcset="https://tracker.example/dark.png" media="(prefers-color-scheme: dark)"><img src="logo.png" alt="Logo"></picture>\n');
    expect(out).not.toContain('tracker.example');
    expect(out).toContain('alt="Logo"');
  });
});

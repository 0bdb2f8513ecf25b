import { describe, expect, it } from 'vitest';
import { fileUrls } from '../../src/domain/crawl/host-urls';
import { renderReadme } from '../../src/domain/crawl/readme';

/*
 * Relative images in a README must point where the forge serves the file of the crawled commit;
 * a plain git host serves no files, so there the image is replaced by its alt text and listed.
 */
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const README = { path: 'README.md', content: Buffer.from('# App\n\n![Logo der Stadt](bilder/Straße.png) und [Doku](docs/a.md) und ![fern](https://example.org/x.png)\n') };

function render(url: string, hostKind: 'github' | 'gitlab' | 'gitea' | 'git') {
  const rendered = renderReadme(README, fileUrls({ url, hostKind, branch: 'main', commit: COMMIT }), 512 * 1024);
  if ('skipped' in rendered) throw new Error(rendered.skipped);
  return rendered;
}

describe('relative README images', () => {
  it.each([
    ['https://github.com/stadt-ulm/app', 'github', `https://raw.githubusercontent.com/stadt-ulm/app/${COMMIT}/bilder/Stra%C3%9Fe.png`],
    ['https://gitlab.opencode.de/stadt/app', 'gitlab', `https://gitlab.opencode.de/stadt/app/-/raw/${COMMIT}/bilder/Stra%C3%9Fe.png`],
    ['https://gitlab.com/stadt/app', 'gitlab', `https://gitlab.com/stadt/app/-/raw/${COMMIT}/bilder/Stra%C3%9Fe.png`],
    ['https://codeberg.org/stadt/app', 'gitea', `https://codeberg.org/stadt/app/raw/commit/${COMMIT}/bilder/Stra%C3%9Fe.png`],
    ['https://bitbucket.org/geowerkstatt-hamburg/masterportal', 'git', `https://bitbucket.org/geowerkstatt-hamburg/masterportal/raw/${COMMIT}/bilder/Stra%C3%9Fe.png`],
  ] as const)('on %s point to the raw file of the crawled commit', (url, hostKind, expected) => {
    const rendered = render(url, hostKind);
    expect(rendered.html).toContain(`src="${expected}"`);
    expect(rendered.html).toContain('data-external-src="https://example.org/x.png"');
    expect(rendered.unservedImages).toEqual([]);
  });

  it('on a plain git host become their alt text, are listed, and relative links keep only their text', () => {
    const rendered = render('https://git.stadt-beispiel.de/app', 'git');
    expect(rendered.html).not.toMatch(/(src|href)="[^"]*(bilder|docs)/);
    expect(rendered.html).toContain('<span class="readme-image-unavailable" title="Image bilder/Straße.png: the host serves no files / Bild kann nicht angezeigt werden">Logo der Stadt</span>');
    expect(rendered.html).toContain('<a>Doku</a>');
    expect(rendered.html).toContain('data-external-src="https://example.org/x.png"');
    expect(rendered.unservedImages).toEqual(['bilder/Straße.png']);
  });
});

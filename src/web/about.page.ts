import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { renderReadme } from '../domain/crawl/readme';
import { packagePath } from '../lib/package-root';
import { html, trusted } from './html';
import { sendPage } from './render';
import { layout } from './views/layout';
import { nestHeadings } from './views/software/readme.section';

const README_FILE = packagePath('README.md');
/** The project README is about 60 KB; four times that is room to grow, and bounds the one rendering at start. */
const MAX_BYTES = 256 * 1024;
/** The hub serves no files of its own repository: relative links keep their text, relative images their alt text. */
const NO_FILES = { blob: () => null, raw: () => null };

/**
 * The README as HTML, through the renderer and sanitiser that every repository's README goes
 * through (no scripts, styles or event handlers; images of other hosts click-to-load), once per
 * process. Its # heading becomes an h2 under the page's h1, its ## sections h3 with ids for the
 * table of contents.
 */
function aboutHtml(markdown: Buffer) {
  const rendered = renderReadme({ path: 'README.md', content: markdown }, NO_FILES, MAX_BYTES);
  if ('skipped' in rendered) return { markup: '', sections: [] as { id: string; title: string }[] };
  const sections: { id: string; title: string }[] = [];
  // Code blocks wider than the page scroll sideways: focusable, so a keyboard can scroll them too.
  const markup = nestHeadings(rendered.html, 1).replace(/<pre>/g, '<pre tabindex="0">').replace(/<h3>([\s\S]*?)<\/h3>/g, (_match, inner: string) => {
    const id = `about-${sections.length + 1}`;
    sections.push({ id, title: inner.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'") });
    return `<h3 id="${id}">${inner}</h3>`;
  });
  return { markup, sections };
}

/** `/about`: what transferhub is, from its README (English, marked as such for screen readers); `/README.md` the text itself. */
export default async function aboutPage(app: FastifyInstance) {
  const readme = readFileSync(README_FILE);
  const about = aboutHtml(readme);
  app.get('/about', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { t } = page.i18n;
    const body = html`<h1 class="kern-heading-x-large">${t('about.title')}</h1>
<p class="kern-body kern-body--large">${t('about.lead')}</p>
<p class="kern-body">${t('about.readmeNote')} <a class="kern-link" href="/README.md">${t('about.plainText')}</a></p>
${about.sections.length
  ? html`<nav aria-labelledby="about-toc"><h2 class="kern-heading-small" id="about-toc">${t('about.contents')}</h2>
  <ul class="th-plain-list" lang="en">${about.sections.map((s) => html`<li><a class="kern-link" href="#${s.id}">${s.title}</a></li>`)}</ul>
</nav>`
  : ''}
<div class="th-readme kern-body th-section" lang="en">${trusted(about.markup)}</div>`;
    return sendPage(reply, layout(page, { title: t('about.title'), body }));
  });
  app.get('/README.md', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(readme));
}

import { html, trusted } from '../../html';
import type { SoftwareSection } from './section';

/**
 * README headings sit under the section's h2: h1 becomes h3, h2 h4 … (h6 at most), so the page
 * keeps one h1 and an unbroken heading order for screen-reader navigation.
 */
export function nestHeadings(markup: string, by = 2) {
  return markup.replace(/<(\/?)h([1-6])\b/gi, (_m, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + by)}`);
}

/** The README as the crawler stored it: rendered from Markdown and sanitised at crawl time. */
export const readmeSection: SoftwareSection = {
  id: 'readme',
  heading: 'software.readme',
  async render({ detail: loading, page, headingId }) {
    const detail = await loading;
    if (!detail.readme?.html) return null;
    return html`<h2 class="kern-heading-large" id="${headingId}">${page.i18n.t('software.readme')}</h2>
<div class="th-readme kern-body">${trusted(nestHeadings(detail.readme.html))}</div>`;
  },
};

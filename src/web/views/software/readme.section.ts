import { html, trusted } from '../../html';
import type { SoftwareSection } from './section';

/** The README as the crawler stored it: rendered from Markdown and sanitised at crawl time. */
export const readmeSection: SoftwareSection = {
  id: 'readme',
  heading: 'software.readme',
  async render({ detail, page, headingId }) {
    if (!detail.readme?.html) return null;
    return html`<h2 class="kern-heading-large" id="${headingId}">${page.i18n.t('software.readme')}</h2>
<div class="th-readme kern-body">${trusted(detail.readme.html)}</div>`;
  },
};

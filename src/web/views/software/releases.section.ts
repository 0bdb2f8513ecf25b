import { listSoftwareReleases } from '../../../domain/releases/releases.service';
import { html } from '../../html';
import type { SoftwareSection } from './section';

/** The newest releases; the full list is in the API (GET /v1/software/{id}/releases). */
const SHOWN = 10;

export const releasesSection: SoftwareSection = {
  id: 'releases',
  heading: 'software.releases',
  async render({ hub, software, page, headingId }) {
    const { t } = page.i18n;
    const { items } = await listSoftwareReleases(hub.db, software, { limit: SHOWN });
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.releases')}</h2>
${items.length
  ? html`<ul class="th-plain-list">${items.map((r) => html`<li class="kern-body">${r.url ? html`<a class="kern-link" href="${r.url}">${r.version}</a>` : r.version}${r.date ? html` · <time datetime="${r.date}">${page.i18n.date(r.date)}</time>` : ''}</li>`)}</ul>`
  : html`<p class="kern-body">${t('software.noReleases')}</p>`}`;
  },
};

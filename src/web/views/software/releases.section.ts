import { releasesNewestFirstRead } from '../../../domain/releases/releases.service';
import type { ReadResult } from '../../../db/json-read';
import { html } from '../../html';
import { provenanceInline } from '../partials/provenance';
import type { SoftwareSection } from './section';

/** The newest releases, a mirrored one with its origin hub; the full list is in the API (GET /v1/software/{id}/releases). */
const SHOWN = 10;

export const releasesSection: SoftwareSection<ReadResult<typeof releasesNewestFirstRead>> = {
  id: 'releases',
  heading: 'software.releases',
  read: () => releasesNewestFirstRead,
  async render({ data, page, headingId }) {
    const items = data.slice(0, SHOWN);
    const { t } = page.i18n;
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.releases')}</h2>
${items.length
  ? html`<ul class="th-plain-list">${items.map((r) => html`<li class="kern-body">${r.url ? html`<a class="kern-link" href="${r.url}">${r.version}</a>` : r.version}${r.date ? html` · <time datetime="${r.date}">${page.i18n.date(r.date)}</time>` : ''}${provenanceInline(r.provenance, page.i18n)}</li>`)}</ul>`
  : html`<p class="kern-body">${t('software.noReleases')}</p>`}`;
  },
};

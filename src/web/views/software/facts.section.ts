import { categoryLabel } from '../../../metadata/categories';
import { html } from '../../html';
import { labelOf } from '../labels';
import { longDescription } from '../partials/software-item';
import { licenceHtml } from './licence';
import type { SoftwareSection } from './section';

/** Licence, status, maintenance, latest release, repository, then the long description. */
export const factsSection: SoftwareSection = {
  id: 'facts',
  heading: 'software.facts',
  async render({ detail: loading, page, headingId }) {
    const detail = await loading;
    const { t } = page.i18n;
    const item = (key: Parameters<typeof t>[0], value: unknown) =>
      html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(key)}</dt><dd class="kern-description-list-item__value">${value as string}</dd></div>`;
    const long = longDescription(detail, page.i18n);
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.facts')}</h2>
<dl class="kern-description-list">
  ${item('software.licence', licenceHtml(detail.licence, page.i18n))}
  ${item('software.developmentStatus', detail.developmentStatus ? labelOf(page.i18n, `status.${detail.developmentStatus}`, detail.developmentStatus) : t('software.unknown'))}
  ${detail.categories.length ? item('software.categories', page.i18n.list(detail.categories.map((c) => categoryLabel(c, page.i18n.locale)))) : ''}
  ${item('software.maintenance', detail.maintenanceType ? labelOf(page.i18n, `maintenance.${detail.maintenanceType}`, detail.maintenanceType) : t('software.unknown'))}
  ${item('software.latestRelease', detail.latestRelease ? html`${detail.latestRelease.version}${detail.latestRelease.date ? html` (<time datetime="${detail.latestRelease.date}">${page.i18n.date(detail.latestRelease.date)}</time>)` : ''}` : t('software.unknown'))}
  ${item('software.repository', detail.repositoryUrl ? html`<a class="kern-link" href="${detail.repositoryUrl}">${detail.repositoryUrl}</a>` : t('software.unknown'))}
</dl>
${long ? html`<h3 class="kern-heading-medium">${t('software.description')}</h3>${long.split(/\n{2,}/).map((p) => html`<p class="kern-body">${p}</p>`)}` : ''}`;
  },
};

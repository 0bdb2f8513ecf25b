import { listOrganisationReuses } from '../../../domain/reuse/reuse.service';
import { html } from '../../html';
import { provenanceInline } from '../partials/provenance';
import { reuseVerification } from '../partials/reuse-verification';
import type { OrganisationSection } from './section';

export const organisationReusesSection: OrganisationSection = {
  id: 'reuses',
  heading: 'org.reuses',
  async render({ hub, organisation, page, headingId }) {
    const { t } = page.i18n;
    const reuses = await listOrganisationReuses(hub.db, organisation.id);
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('org.reuses')}</h2>
${reuses.length
  ? html`<ul class="th-plain-list">${reuses.map((r) => html`<li class="kern-body"><a class="kern-link" href="/software/${r.software.slug}">${r.software.name}</a> · ${t(`stage.${r.status}`)} · ${reuseVerification(page, r)}${provenanceInline(r.provenance, page.i18n)}</li>`)}</ul>`
  : html`<p class="kern-body">${t('org.noReuses')}</p>`}`;
  },
};

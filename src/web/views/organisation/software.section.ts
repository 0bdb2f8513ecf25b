import { listSoftwarePage } from '../../../domain/catalogue/software.service';
import { html } from '../../html';
import { softwareListItem } from '../partials/software-item';
import type { OrganisationSection } from './section';

/** An organisation publishes a handful of entries; 100 covers every one seen so far. */
const SHOWN = 100;

export const organisationSoftwareSection: OrganisationSection = {
  id: 'software',
  heading: 'org.software',
  async render({ hub, organisation, page, headingId }) {
    const { t } = page.i18n;
    const { items } = await listSoftwarePage(hub, { organisation: [organisation.id], limit: SHOWN });
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('org.software')}</h2>
${items.length ? html`<ul class="th-plain-list">${items.map((item) => softwareListItem(item, page.i18n))}</ul>` : html`<p class="kern-body">${t('org.noSoftware')}</p>`}`;
  },
};

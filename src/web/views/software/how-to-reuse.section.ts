import { html } from '../../html';
import { licenceHtml } from './licence';
import type { SoftwareSection } from './section';

/** The box a municipality looking to reuse reads first: licence, contact, where the code is, how complete the transfer package is. */
export const howToReuseSection: SoftwareSection = {
  id: 'how-to-reuse',
  heading: 'software.howToReuse',
  async render({ detail: loading, page, headingId }) {
    const detail = await loading;
    const { t } = page.i18n;
    const contact = detail.maintainers?.contacts.find((c) => c.name || c.email);
    return html`<div class="kern-alert kern-alert--info"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
  <h2 class="kern-title" id="${headingId}">${t('software.howToReuse')}</h2></div>
  <div class="kern-alert__body"><ul class="kern-body">
    ${detail.licence ? html`<li>${t('software.howLicence', { licence: '\u0000' }).split('\u0000').map((part, i) => (i === 0 ? html`${part}${licenceHtml(detail.licence, page.i18n)}` : html`${part}`))}</li>` : ''}
    ${contact ? html`<li>${t('software.howContact', { contact: '' })}${contact.email ? html`<a class="kern-link" href="mailto:${contact.email}">${contact.name ?? contact.email}</a>` : contact.name}</li>` : ''}
    ${detail.repositoryUrl ? html`<li>${t('software.howSource', { url: '' })}<a class="kern-link" href="${detail.repositoryUrl}">${detail.repositoryUrl}</a></li>` : ''}
    <li><a class="kern-link" href="#transfer-package">${t('software.howTransfer', { present: detail.transferPackage.present, applicable: detail.transferPackage.applicable })}</a></li>
    ${page.session ? '' : html`<li><a class="kern-link" href="/sign-in?next=${encodeURIComponent(`/software/${detail.slug}#reuses`)}">${t('software.howRecord')}</a></li>`}
  </ul></div></div>`;
  },
};

import { html, type Renderable } from '../../html';
import type { MessageKey } from '../../i18n';
import type { OrganisationSection } from './section';

export const organisationFactsSection: OrganisationSection = {
  id: 'facts',
  heading: 'org.facts',
  async render({ organisation: o, page, headingId }) {
    const { t } = page.i18n;
    const item = (key: MessageKey, value: Renderable) =>
      value ? html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(key)}</dt><dd class="kern-description-list-item__value">${value}</dd></div>` : '';
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('org.facts')}</h2>
<dl class="kern-description-list">
  ${item('org.kind', t(`kind.${o.kind}`))}
  ${item('org.state', o.state)}
  ${item('org.ags', o.ags)}
  ${item('org.programme', o.programme ? html`${o.programme === 'MPSC' ? html`<a class="kern-link" href="/programme">${t('programme.title')}</a>` : o.programme}${o.cohortYear ? `, ${t('org.cohort', { year: String(o.cohortYear) })}` : ''}` : null)}
  ${item('org.website', o.website ? html`<a class="kern-link" href="${o.website}">${o.website}</a>` : null)}
</dl>`;
  },
};

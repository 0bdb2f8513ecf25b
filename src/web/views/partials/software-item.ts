import type { SoftwareSummary } from '../../../domain/catalogue/software.view';
import type { Provenance } from '../../../domain/federation/provenance';
import { html, type Html } from '../../html';
import type { Translator } from '../../i18n';
import { provenanceInline } from './provenance';

/** The short description in the page's language, else the other one. */
export function shortDescription(item: Pick<SoftwareSummary, 'description'>, i18n: Translator) {
  const [own, other] = i18n.locale === 'de' ? [item.description.de, item.description.en] : [item.description.en, item.description.de];
  return own.short ?? other.short ?? '';
}

export function longDescription(item: Pick<SoftwareSummary, 'description'>, i18n: Translator) {
  const [own, other] = i18n.locale === 'de' ? [item.description.de, item.description.en] : [item.description.en, item.description.de];
  return own.long ?? other.long ?? null;
}

/** One entry of a list (start page, organisation page): name as link, publisher (and the origin hub of a mirrored entry), short description. */
export function softwareListItem(item: SoftwareSummary & { provenance?: Provenance }, i18n: Translator, headingLevel: 3 | 4 = 3, extra?: Html): Html {
  const heading = html`<a class="kern-link" href="/software/${item.slug}">${item.name}</a>`;
  return html`<li>
  <article class="kern-card"><div class="kern-card__container">
    <header class="kern-card__header">${headingLevel === 3 ? html`<h3 class="kern-title">${heading}</h3>` : html`<h4 class="kern-title">${heading}</h4>`}
      <p class="kern-preline">${i18n.t('software.by', { organisation: item.organisation.name })}${item.provenance ? provenanceInline(item.provenance, i18n) : ''}</p></header>
    <div class="kern-card__body"><p class="kern-body">${shortDescription(item, i18n)}</p>${extra}</div>
  </div></article>
</li>`;
}

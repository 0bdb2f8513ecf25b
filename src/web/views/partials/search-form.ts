import { html, type Html } from '../../html';
import type { Translator } from '../../i18n';

/**
 * The search box: a plain GET form to /search. With the script, suggestions appear in a listbox
 * under it (combobox pattern); without it nothing is missing but the suggestions.
 */
export function searchForm(i18n: Translator, q: string, id = 'q'): Html {
  const { t } = i18n;
  return html`<form class="th-search" method="get" action="/search" role="search">
  <div class="kern-form-input">
    <label class="kern-label" for="${id}">${t('search.label')}</label>
    <div class="kern-hint" id="${id}-hint">${t('search.hint')}</div>
    <input class="kern-form-input__input" id="${id}" name="q" type="search" value="${q}" autocomplete="off"
      aria-describedby="${id}-hint" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-suggestions"
      data-suggest data-status="${id}-status">
    <ul class="th-suggest" id="${id}-suggestions" role="listbox" aria-label="${t('search.suggestions')}" hidden></ul>
    <div class="kern-sr-only" id="${id}-status" role="status" data-label="${t('search.suggestions')}"></div>
  </div>
  <button class="kern-btn kern-btn--primary" type="submit"><span class="kern-icon kern-icon--search" aria-hidden="true"></span><span class="kern-label">${t('search.submit')}</span></button>
</form>`;
}

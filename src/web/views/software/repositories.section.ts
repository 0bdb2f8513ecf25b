import type { CrawlState } from '../../../db/schema/repositories';
import { html } from '../../html';
import type { Translator } from '../../i18n';
import type { SoftwareSection } from './section';

const BADGE: Record<CrawlState, string> = { queued: 'info', running: 'info', succeeded: 'success', unchanged: 'success', failed: 'danger' };

/** A crawl state in plain words, as a KERN badge. */
export function crawlBadge(i18n: Translator, state: CrawlState, paused: boolean) {
  return html`<span class="kern-badge kern-badge--${paused ? 'warning' : BADGE[state]}"><span class="kern-label kern-label--small">${i18n.t(`crawl.${state}`)}${paused ? ` · ${i18n.t('crawl.paused')}` : ''}</span></span>`;
}

/** Where the entry is read from and how that went (the error is for the maintainer). */
export const repositoriesSection: SoftwareSection = {
  id: 'repositories',
  heading: 'software.repositories',
  async render({ detail: loading, page, headingId }) {
    const detail = await loading;
    if (detail.repositories.length === 0) return null;
    const { t } = page.i18n;
    const own = page.session?.organisation.id === detail.organisation.id;
    return html`<h2 class="kern-heading-large" id="${headingId}">${t('software.repositories')}</h2>
<ul class="th-plain-list">${detail.repositories.map((r) => html`<li class="kern-body">
  ${own ? html`<a class="kern-link" href="/repositories/${r.id}">${r.url}</a>` : r.url}
  ${crawlBadge(page.i18n, r.crawlState, r.paused !== null)}
  ${r.lastSuccessAt ? html`<span class="kern-body--small"> ${t('software.lastSuccess', { date: page.i18n.date(r.lastSuccessAt) })}</span>` : ''}
  ${r.crawlState === 'failed' && r.lastError ? html`<p class="kern-body kern-body--small">${t('software.crawlError', { error: r.lastError })}</p>` : ''}
</li>`)}</ul>`;
  },
};

import type { FastifyInstance } from 'fastify';
import { listSoftwarePage } from '../domain/catalogue/software.service';
import { getCatalogueCounts } from '../domain/catalogue/overview.service';
import type { HubContext } from '../domain/context';
import { html } from './html';
import { sendPage } from './render';
import { layout } from './views/layout';
import { searchForm } from './views/partials/search-form';
import { softwareListItem } from './views/partials/software-item';

/** Lists on the start page: a glance, the search goes further. */
const LIST_LENGTH = 5;

/** `GET /`: search box, the catalogue's numbers, newest releases, recently added software. */
export default async function startPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { t, n } = page.i18n;
    const [counts, releases, added] = await Promise.all([
      getCatalogueCounts(hub.db),
      listSoftwarePage(hub, { sort: 'latestRelease', limit: LIST_LENGTH }),
      listSoftwarePage(hub, { sort: 'newest', limit: LIST_LENGTH }),
    ]);
    const withRelease = releases.items.filter((item) => item.latestRelease !== null);
    const number = (key: 'start.software' | 'start.organisations' | 'start.reuses', value: number) =>
      html`<li class="kern-card kern-card--small"><div class="kern-card__container"><strong>${page.i18n.number(value)}</strong> ${n(key, value).replace(/^\{n\}\s*/, '')}</div></li>`;
    const body = html`<h1 class="kern-heading-x-large">${t('start.title')}</h1>
<p class="kern-body kern-body--large">${t('start.lead')}</p>
${searchForm(page.i18n, '')}
<section class="th-section" aria-labelledby="numbers">
  <h2 class="kern-heading-large" id="numbers">${t('start.numbers')}</h2>
  <ul class="th-numbers">
    ${number('start.software', counts.software)}
    ${number('start.organisations', counts.organisations)}
    ${number('start.reuses', counts.reuses)}
  </ul>
</section>
<div class="th-columns th-section">
  <section aria-labelledby="releases">
    <h2 class="kern-heading-large" id="releases">${t('start.newestReleases')}</h2>
    ${withRelease.length
      ? html`<ul class="th-plain-list">${withRelease.map((item) =>
          softwareListItem(item, page.i18n, 3, html`<p class="kern-body kern-body--small">${item.latestRelease!.version}${item.latestRelease!.date ? html` · <time datetime="${item.latestRelease!.date}">${page.i18n.date(item.latestRelease!.date)}</time>` : ''}</p>`),
        )}</ul>`
      : html`<p class="kern-body">${t('start.none')}</p>`}
  </section>
  <section aria-labelledby="added">
    <h2 class="kern-heading-large" id="added">${t('start.recentlyAdded')}</h2>
    ${added.items.length ? html`<ul class="th-plain-list">${added.items.map((item) => softwareListItem(item, page.i18n))}</ul>` : html`<p class="kern-body">${t('start.none')}</p>`}
  </section>
</div>`;
    return sendPage(reply, layout(page, { title: t('start.title'), body, scripts: true }));
  });
}

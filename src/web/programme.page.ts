import type { FastifyInstance } from 'fastify';
import { getProgrammeOverview } from '../domain/catalogue/overview.service';
import type { HubContext } from '../domain/context';
import { html } from './html';
import { sendPage } from './render';
import { layout } from './views/layout';

/** The programme the demo catalogue and the issue are about: Modellprojekte Smart Cities. */
const PROGRAMME = 'MPSC';

/** `GET /programme`: every model project by state and cohort with its published software (a table; a map may follow). */
export default async function programmePage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get('/programme', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const { t, n } = page.i18n;
    const rows = await getProgrammeOverview(hub.db, PROGRAMME);
    const withSoftware = rows.filter((r) => r.software.length > 0).length;
    const body = html`<h1 class="kern-heading-x-large">${t('programme.title')}</h1>
<p class="kern-body kern-body--large">${t('programme.lead')}</p>
<p class="kern-body">${n('programme.count', rows.length)}. ${n('programme.withSoftware', withSoftware)}</p>
<div class="th-table-wrap"><table class="kern-table">
  <caption class="kern-title">${t('programme.caption')}</caption>
  <thead><tr class="kern-table__row">
    <th class="kern-table__header" scope="col">${t('programme.state')}</th>
    <th class="kern-table__header kern-table__header--numeric" scope="col">${t('programme.cohort')}</th>
    <th class="kern-table__header" scope="col">${t('programme.project')}</th>
    <th class="kern-table__header" scope="col">${t('programme.software')}</th>
  </tr></thead>
  <tbody class="kern-table__body">${rows.map((r) => html`<tr class="kern-table__row">
    <td class="kern-table__cell">${r.state ?? '–'}</td>
    <td class="kern-table__cell kern-table__cell--numeric">${r.cohortYear ?? '–'}</td>
    <th class="kern-table__cell" scope="row"><a class="kern-link" href="/organisations/${r.slug}">${r.name}</a></th>
    <td class="kern-table__cell">${r.software.length ? r.software.map((s, i) => html`${i ? ', ' : ''}<a class="kern-link" href="/software/${s.slug}">${s.name}</a>`) : t('programme.noSoftware')}</td>
  </tr>`)}</tbody>
</table></div>`;
    return sendPage(reply, layout(page, { title: t('programme.title'), body }));
  });
}

import type { FastifyInstance } from 'fastify';
import { getOrganisation } from '../domain/catalogue/organisations.service';
import type { HubContext } from '../domain/context';
import { html } from './html';
import { sendPage } from './render';
import { layout } from './views/layout';
import { provenanceNote } from './views/partials/provenance';
import { ORGANISATION_SECTIONS } from './views/organisation/sections';

export default async function organisationPage(app: FastifyInstance, { hub }: { hub: HubContext }) {
  app.get<{ Params: { slug: string } }>('/organisations/:slug', { schema: { hide: true } }, async (request, reply) => {
    const page = request.page;
    const organisation = await getOrganisation(hub.db, request.params.slug);
    const rendered = await Promise.all(
      ORGANISATION_SECTIONS.map(async (section) => ({ section, markup: await section.render({ hub, organisation, page, headingId: `${section.id}-heading` }) })),
    );
    const body = html`<h1 class="kern-heading-x-large">${organisation.name}</h1>
${provenanceNote(organisation.provenance, page.i18n)}
${rendered.filter((r) => r.markup !== null).map(({ section, markup }) => html`<section class="th-section" id="${section.id}" aria-labelledby="${section.id}-heading">${markup}</section>`)}`;
    return sendPage(reply, layout(page, { title: organisation.name, body }));
  });
}

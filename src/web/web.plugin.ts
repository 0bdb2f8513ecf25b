import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubContext } from '../domain/context';
import { AppError, Unavailable } from '../lib/errors';
import { asDatabaseUnavailable } from '../lib/unavailable';
import aboutPage from './about.page';
import assets from './assets';
import { domainErrorText } from './form-errors';
import { html } from './html';
import { fromAcceptLanguage, translator } from './i18n';
import needsPage from './needs.page';
import organisationPage from './organisation.page';
import pathAliases from './path-aliases';
import programmePage from './programme.page';
import { sendPage } from './render';
import repositoriesPage from './repositories.page';
import searchPage from './search.page';
import { CsrfRefused, registerPageContext, type PageContext } from './session/page-context';
import signInPage from './sign-in.page';
import softwareActionsPage from './software-actions.page';
import softwarePage from './software.page';
import startPage from './start.page';
import { layout } from './views/layout';
import { searchForm } from './views/partials/search-form';

/**
 * What the pages may load: their own stylesheets, script and fonts, KERN's inline SVG icons
 * (data: URLs in its CSS), requests to the hub's own API (suggestions). No inline script or style,
 * nothing from another host, no framing. The README's images from other hosts are therefore not
 * shown (their alt text is): the hub promises visitors that a page asks no other site.
 */
const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/** The same policy as a header value, for pages answered outside this plugin (the 404 of unknown paths). */
export const PAGE_CONTENT_SECURITY_POLICY = Object.entries(DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/** A page context for error pages when the normal one could not be built (the database is away). */
function fallbackContext(request: FastifyRequest): PageContext {
  const i18n = translator(fromAcceptLanguage(request.headers['accept-language']) ?? 'de');
  return { i18n, session: null, csrfToken: '', url: request.url, notice: null };
}

function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, title: string, text: string) {
  const page = request.page ?? fallbackContext(request);
  const body = html`<h1 class="kern-heading-x-large">${title}</h1>
<p class="kern-body">${text}</p>
${status === 404 ? searchForm(page.i18n, '', 'q-404') : ''}
<p class="kern-body"><a class="kern-link" href="/">${page.i18n.t('error.home')}</a></p>`;
  return sendPage(reply, layout(page, { title, body, scripts: status === 404 }), status);
}

/** The 404 page for any path no route serves, in the pages' design (the API keeps problem+json). */
export function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
  const { t } = (request.page ?? fallbackContext(request)).i18n;
  reply.header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
  return errorPage(request, reply, 404, t('error.notFoundTitle'), t('error.notFoundText'));
}

/** A browser's GET of a path no route serves gets the HTML 404; the API's paths and other clients keep problem+json. */
export function pageNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  const browser = request.method === 'GET' && String(request.headers.accept ?? '').includes('text/html');
  if (!browser || /^\/(v1|docs|openapi\.json|health|metrics)(\/|$)/.test(path)) return null;
  return notFoundPage(request, reply);
}

/**
 * The web interface: pages for people beside the API, in their own encapsulated context so that
 * helmet's headers, cookies, form bodies and the HTML error pages apply to pages only; the API
 * under /v1, /docs and /openapi.json keep their own headers (http/plugins/security-headers.ts).
 */
export default async function webPlugin(app: FastifyInstance, { hub }: { hub: HubContext }) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
    // Pages embed nothing from elsewhere; the defaults of these would only get in the way of none of it.
    crossOriginEmbedderPolicy: false,
    // HSTS is the TLS terminator's business (it knows the host names); sent on plain HTTP it is ignored anyway.
    strictTransportSecurity: false,
  });
  await app.register(fastifyCookie);
  // Forms are small (a token, a URL, a reuse note); the app's body limit applies.
  await app.register(fastifyFormbody);
  registerPageContext(app, hub);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const page = request.page ?? fallbackContext(request);
    const { t } = page.i18n;
    if (error instanceof CsrfRefused) return errorPage(request, reply, 403, t('error.forbiddenTitle'), t('form.csrf'));
    if (error instanceof Unavailable || asDatabaseUnavailable(error)) {
      reply.header('retry-after', '5');
      return errorPage(request, reply, 503, t('error.unavailableTitle'), t('error.unavailableText'));
    }
    if (error instanceof AppError && error.status === 404) return errorPage(request, reply, 404, t('error.notFoundTitle'), t('error.notFoundText'));
    if (error instanceof AppError && error.status < 500) return errorPage(request, reply, error.status, error.status === 403 ? t('error.forbiddenTitle') : t('error.badRequestTitle'), domainErrorText(page.i18n, error));
    if (error.validation || (error.statusCode && error.statusCode < 500)) return errorPage(request, reply, error.statusCode ?? 400, t('error.badRequestTitle'), error.message);
    request.log.error({ err: error }, 'page failed');
    return errorPage(request, reply, 500, t('error.serverTitle'), t('error.serverText', { id: request.id }));
  });

  await app.register(assets);
  await app.register(pathAliases);
  for (const page of [startPage, searchPage, softwarePage, organisationPage, programmePage, signInPage, repositoriesPage, softwareActionsPage, needsPage, aboutPage]) {
    await app.register(page, { hub });
  }
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { HubContext } from '../../domain/context';
import { findWebSession, type WebSession } from '../../domain/auth/web-sessions.service';
import { AppError } from '../../lib/errors';
import { fromAcceptLanguage, isLocale, translator, type Locale, type MessageKey, type Translator } from '../i18n';
import type { Notice } from '../views/layout';

/** What every page handler knows about the visitor: language, session, the form token. */
export type PageContext = {
  i18n: Translator;
  session: WebSession | null;
  csrfToken: string;
  /** The path and query of this request, for the language switch. */
  url: string;
  /** What the previous POST achieved (?notice= after its redirect), from a fixed list. */
  notice: Notice | null;
};

const NOTICES: Record<string, MessageKey> = {
  'signed-in': 'signin.done',
  'signed-out': 'signout.done',
  'reuse-saved': 'reuse.saved',
  'repository-registered': 'repo.registered',
  'reuse-confirmed': 'verify.confirmed',
  'reuse-disputed': 'verify.disputed',
  'reuse-withdrawn': 'withdraw.done',
  'report-saved': 'report.saved',
  'answer-saved': 'answer.saved',
  'need-posted': 'needs.posted',
  'need-joined': 'needs.joined',
};

declare module 'fastify' {
  interface FastifyRequest {
    page: PageContext;
  }
}

const LANG_COOKIE = 'th_lang';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

export class CsrfRefused extends AppError {
  constructor() {
    super(403, 'session.csrf', 'Forbidden', 'The form token is missing or does not match this session.');
  }
}

/**
 * Cookies are Secure when the hub is reached over HTTPS: its public URL says so, or the request
 * came over TLS (directly, or through a trusted proxy's X-Forwarded-Proto). Secure cookies also
 * take the __Host- prefix, which browsers bind to this host and path / (no subdomain can set them).
 */
export function cookieSecurity(hub: HubContext, request: FastifyRequest) {
  const secure = Boolean(hub.config.publicUrl?.startsWith('https:')) || request.protocol === 'https';
  return {
    secure,
    session: secure ? '__Host-th_session' : 'th_session',
    csrf: secure ? '__Host-th_csrf' : 'th_csrf',
    options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure },
  };
}

/** The language: an explicit choice (?lang=, remembered in a cookie), then Accept-Language, then German. */
function chooseLocale(request: FastifyRequest, reply: FastifyReply): Locale {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(asked)) {
    reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', maxAge: YEAR_SECONDS });
    return asked;
  }
  const remembered = request.cookies[LANG_COOKIE];
  if (isLocale(remembered)) return remembered;
  return fromAcceptLanguage(request.headers['accept-language']) ?? 'de';
}

export async function loadPageContext(hub: HubContext, request: FastifyRequest, reply: FastifyReply): Promise<PageContext> {
  const names = cookieSecurity(hub, request);
  const i18n = translator(chooseLocale(request, reply));
  const sessionId = request.cookies[names.session];
  const session = sessionId ? await findWebSession(hub.db, sessionId) : null;
  // Signed in: the session's token. Signed out (the sign-in form): a double-submit cookie.
  let csrfToken = session?.csrfToken ?? request.cookies[names.csrf];
  if (!csrfToken) {
    csrfToken = randomBytes(32).toString('base64url');
    reply.setCookie(names.csrf, csrfToken, names.options);
  }
  const noticeKey = NOTICES[String((request.query as Record<string, unknown> | undefined)?.notice ?? '')];
  const notice: Notice | null = noticeKey ? { kind: 'success', text: i18n.t(noticeKey, { organisation: session?.organisation.name ?? '' }) } : null;
  return { i18n, session, csrfToken, url: request.url, notice };
}

/** A POST must carry the page's form token; SameSite=Lax already keeps other sites' forms cookie-less. */
export function checkCsrf(request: FastifyRequest, sent: unknown) {
  const expected = Buffer.from(request.page.csrfToken);
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (expected.length === 0 || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new CsrfRefused();
}

export function sessionIdOf(hub: HubContext, request: FastifyRequest): string | undefined {
  return request.cookies[cookieSecurity(hub, request).session];
}

export function registerPageContext(app: FastifyInstance, hub: HubContext) {
  app.decorateRequest('page', null as unknown as PageContext);
  app.addHook('preHandler', async (request, reply) => {
    request.page = await loadPageContext(hub, request, reply);
  });
}

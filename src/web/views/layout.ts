import { assetUrls } from '../assets';
import { html, type Html, type Renderable } from '../html';
import type { PageContext } from '../session/page-context';

export type Notice = { kind: 'success' | 'info' | 'warning' | 'danger'; text: string };

/** The URL of this page in the other language (?lang= replaced, everything else kept). */
function otherLanguageUrl(page: PageContext) {
  const url = new URL(page.url, 'http://hub.invalid');
  url.searchParams.set('lang', page.i18n.locale === 'de' ? 'en' : 'de');
  return `${url.pathname}${url.search}`;
}

export function alert(notice: Notice): Html {
  return html`<div class="kern-alert kern-alert--${notice.kind}" role="${notice.kind === 'danger' ? 'alert' : 'status'}">
  <div class="kern-alert__body"><p class="kern-body">${notice.text}</p></div>
</div>`;
}

/** Every page: skip link, header with navigation and language switch, main, footer. */
export function layout(page: PageContext, view: { title: string; body: Renderable; notice?: Notice | null; head?: Renderable; scripts?: boolean }): Html {
  const { t, locale } = page.i18n;
  const session = page.session;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title} – ${t('site.name')}</title>
<link rel="icon" href="${assetUrls.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrls.fontCss}">
<link rel="stylesheet" href="${assetUrls.kernCss}">
<link rel="stylesheet" href="${assetUrls.appCss}">
${view.head}
${view.scripts ? html`<script src="${assetUrls.suggestJs}" defer></script>` : ''}
</head>
<body>
<a class="th-skip kern-link" href="#main">${t('skip.main')}</a>
<header class="th-header">
  <div class="kern-container th-header__bar">
    <a class="th-brand" href="/">${t('site.name')}</a>
    <nav class="th-nav" aria-label="${t('nav.label')}">
      <ul>
        <li><a class="kern-link" href="/search">${t('nav.search')}</a></li>
        <li><a class="kern-link" href="/needs">${t('nav.needs')}</a></li>
        <li><a class="kern-link" href="/programme">${t('nav.programme')}</a></li>
        ${session
          ? html`<li><a class="kern-link" href="/repositories/new">${t('nav.register')}</a></li>
        <li><a class="kern-link" href="/organisations/${session.organisation.slug}">${t('nav.signedInAs', { organisation: session.organisation.name })}</a></li>
        <li><form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${page.csrfToken}"><button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit"><span class="kern-label">${t('nav.signOut')}</span></button></form></li>`
          : html`<li><a class="kern-link" href="/sign-in">${t('nav.signIn')}</a></li>`}
        <li><a class="kern-link" href="${otherLanguageUrl(page)}" hreflang="${locale === 'de' ? 'en' : 'de'}" lang="${locale === 'de' ? 'en' : 'de'}">${t('lang.switch')}</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main" tabindex="-1">
  <div class="kern-container">
    ${view.notice ?? page.notice ? alert((view.notice ?? page.notice)!) : ''}
    ${view.body}
  </div>
</main>
<footer class="th-footer">
  <div class="kern-container">
    <nav aria-label="${t('footer.label')}">
      <ul>
        <li><a class="kern-link" href="/docs">${t('footer.docs')}</a></li>
        <li><a class="kern-link" href="/openapi.json">${t('footer.openapi')}</a></li>
        <li><a class="kern-link" href="/about">${t('footer.about')}</a></li>
        <li><a class="kern-link" href="/README.md">${t('footer.readme')}</a></li>
      </ul>
    </nav>
    <p class="kern-body kern-body--small">${t('footer.licence')}</p>
  </div>
</footer>
</body>
</html>
`;
}

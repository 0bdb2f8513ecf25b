import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { packagePath } from '../lib/package-root';

/**
 * `GET /` until the web interface exists: what the hub is, in German and English, and where
 * to go next (API docs, OpenAPI document, the README's quick start, served by the hub itself
 * because a hub may run without internet access).
 */
const README_FILE = packagePath('README.md');

const STYLE = `
  body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
  h1 { margin-bottom: 0.25rem; }
  ul { padding-left: 1.25rem; }
  .en { color: #444; }
`;

/**
 * The page loads nothing: no scripts, no images, only its own inline style, allowed by its hash
 * (not 'unsafe-inline', so an injected <style> or style attribute would not apply).
 */
const PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>transferhub</title>
<style>${STYLE}</style>
</head>
<body>
<main>
  <h1>transferhub</h1>
  <p>Register für Open-Source-Software der Kommunen: finden, bewerten, nachnutzen.
  Die Weboberfläche entsteht noch; bis dahin steht alles in der API.</p>
  <p class="en" lang="en">A registry of municipalities' open-source software: find it, judge it, reuse it.
  The web interface is still to come; until then everything is in the API.</p>
  <ul>
    <li><a href="/docs">API-Dokumentation</a> · <span lang="en">API documentation</span></li>
    <li><a href="/openapi.json">OpenAPI-Dokument</a> · <span lang="en">OpenAPI document</span></li>
    <li><a href="/README.md">Schnellstart (README)</a> · <span lang="en">Quick start (README)</span></li>
  </ul>
  <p>Lesen geht ohne Anmeldung. Zum Schreiben braucht es ein Token: beim ersten Start ohne
  <code>HUB_ADMIN_TOKEN</code> steht ein Admin-Token einmalig im Log.</p>
  <p class="en" lang="en">Reading needs no sign-in. Writing needs a token: on the first start without
  <code>HUB_ADMIN_TOKEN</code> the log shows an admin token once.</p>
</main>
</body>
</html>
`;

export default async function startPage(app: FastifyInstance) {
  const readme = readFileSync(README_FILE, 'utf8');
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_POLICY)
      .send(PAGE),
  );
  app.get('/README.md', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(readme));
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packagePath } from '../lib/package-root';

/**
 * The pages' CSS and script under URLs that carry a hash of their content, so browsers keep them
 * for a year (immutable) and a new version is a new URL. KERN's stylesheet is 340 KB as shipped
 * and about 30 KB compressed; it is compressed once per process (first request) and sent as
 * Brotli or gzip as the browser accepts, which keeps a page under 100 KB without a second bundler.
 * The fonts (Fira Sans, KERN's typeface) come from @fastify/static under the package's version.
 */
const require = createRequire(import.meta.url);
const KERN_DIR = join(dirname(require.resolve('@kern-ux/native/package.json')), 'dist');
const KERN_VERSION = (JSON.parse(readFileSync(join(KERN_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;
// Beside package.json, not beside this module: the compiled build (dist/src/web) has no assets folder.
const OWN_DIR = packagePath('src', 'web', 'assets');
const YEAR_SECONDS = 365 * 24 * 60 * 60;

type Asset = { path: string; type: string; body: Buffer; compressed?: { br: Buffer; gzip: Buffer } };

function asset(name: string, file: string, type: string): Asset {
  const body = readFileSync(file);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [base, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.'))];
  return { path: `/assets/${base}.${hash}${ext}`, type, body };
}

const ASSETS = {
  kern: asset('kern.css', join(KERN_DIR, 'kern.min.css'), 'text/css; charset=utf-8'),
  app: asset('app.css', join(OWN_DIR, 'app.css'), 'text/css; charset=utf-8'),
  suggest: asset('suggest.js', join(OWN_DIR, 'suggest.js'), 'text/javascript; charset=utf-8'),
  icon: asset('favicon.svg', join(OWN_DIR, 'favicon.svg'), 'image/svg+xml'),
};

/**
 * /favicon.ico, where browsers and feed readers look without being told (16 and 32 px PNGs in an
 * ICO; drawn by scripts/favicon.mjs). Its URL cannot carry a hash, so it is kept for 30 days, not
 * a year: a new icon reaches returning visitors within a month, and no page waits for it.
 */
const FAVICON = readFileSync(join(OWN_DIR, 'favicon.ico'));
const FAVICON_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export const FONT_PREFIX = `/assets/kern-${KERN_VERSION}/fonts/`;

/** The URLs the layout links to. */
export const assetUrls = {
  kernCss: ASSETS.kern.path,
  appCss: ASSETS.app.path,
  fontCss: `${FONT_PREFIX}fira-sans.css`,
  suggestJs: ASSETS.suggest.path,
  icon: ASSETS.icon.path,
};

function compressed(a: Asset) {
  // Brotli quality 9: within a percent of 11 for CSS at a tenth of the time (runs once per process).
  a.compressed ??= {
    br: brotliCompressSync(a.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
    gzip: gzipSync(a.body, { level: 9 }),
  };
  return a.compressed;
}

function send(a: Asset, request: FastifyRequest, reply: FastifyReply) {
  reply.type(a.type).header('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`).header('vary', 'accept-encoding');
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(compressed(a).br);
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(compressed(a).gzip);
  return reply.send(a.body);
}

export default async function assets(app: FastifyInstance) {
  for (const a of Object.values(ASSETS)) {
    app.get(a.path, { schema: { hide: true } }, async (request, reply) => send(a, request, reply));
  }
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('image/x-icon').header('cache-control', `public, max-age=${FAVICON_MAX_AGE_SECONDS}`).send(FAVICON),
  );
  await app.register(fastifyStatic, {
    root: join(KERN_DIR, 'fonts'),
    prefix: FONT_PREFIX,
    decorateReply: false,
    // The version is in the path: a new KERN release is a new URL.
    maxAge: YEAR_SECONDS * 1000,
    immutable: true,
    schemaHide: true,
  });
}

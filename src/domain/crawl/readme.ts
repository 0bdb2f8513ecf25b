import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { decodeText } from '../../lib/decode-text';
import { isProtocolRelative } from '../../lib/web-url';

export type ReadmeFile = { path: string; content: Buffer };
export type RenderedReadme =
  | {
      markdown: string;
      html: string;
      /** Relative image paths the host cannot serve (plain git): shown as their alt text. */
      unservedImages: string[];
      /** Why the README is shown as plain text although it is Markdown (its rendering failed). */
      notice?: string;
    }
  | { skipped: string };

/** Markdown first (what forges render best), then a bare README, then reStructuredText and text. */
const PREFERENCE = [/^readme\.(md|markdown|mdown|mkdn)$/i, /^readme$/i, /^readme\.rst$/i, /^readme\.(txt|text)$/i];

export function pickReadme(names: string[]): string | null {
  for (const pattern of PREFERENCE) {
    const found = names.filter((name) => pattern.test(name)).sort()[0];
    if (found) return found;
  }
  return null;
}

/** A NUL byte in the first 8 KiB is git's own test for a binary file. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function isRelative(href: string): boolean {
  return href !== '' && !href.startsWith('#') && !isProtocolRelative(href) && !/^[a-z][a-z0-9+.-]*:/i.test(href);
}

/**
 * GitHub's prefix for ids and names from READMEs: an element named `currentScript` or
 * `getElementById` would otherwise shadow the page's own globals (DOM clobbering).
 */
const ID_PREFIX = 'user-content-';
const prefixed = (name: string) => (name.startsWith(ID_PREFIX) ? name : ID_PREFIX + name);

function withPrefixedNames(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const out = { ...attribs };
  if (out.id) out.id = prefixed(out.id);
  if (out.name) out.name = prefixed(out.name);
  return out;
}

/** The origin of an http(s) URL; null for anything else. */
function httpOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** "docs/../Übersicht.md?x#y" → "Übersicht.md" (query and anchor kept aside). */
function resolvePath(href: string): { path: string; suffix: string } {
  const cut = href.search(/[?#]/);
  const pathPart = cut < 0 ? href : href.slice(0, cut);
  const suffix = cut < 0 ? '' : href.slice(cut);
  let decoded = pathPart;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    // keep as written
  }
  const resolved = new URL(decoded.replace(/^\/+/, ''), 'file:///root/').pathname.replace(/^\/root\/?/, '');
  return { path: decodeURIComponent(resolved), suffix };
}

/** URLs of a repository's files; null where the host serves none (a plain git host). */
export type LinkTargets = { blob(path: string): string | null; raw(path: string): string | null };

/**
 * The allow-list and its reasons:
 * - tags: sanitize-html's text and table defaults plus what READMEs use for layout (headings,
 *   details/summary, picture, del/ins, sup/sub, kbd, img). No script, style, iframe, object,
 *   embed, form, video/audio (active content or third-party requests), and no `source`: its
 *   srcset would fetch images from any host without the click-to-load marking below.
 * - attributes: link target and title; image address, alt text, size and alignment; code's
 *   class (language of a fence); table cell alignment; span class/title (our own markers);
 *   id and name everywhere, prefixed with user-content- (in-page anchors are rewritten to match).
 *   No style (CSS can overlay the page and load URLs) and no event handlers.
 * - schemes: http, https and mailto only; no protocol-relative URLs (they reach any host).
 * - images: the repository's own host loads as is; any other host's image keeps its address in
 *   data-external-src without src, so a visitor's browser contacts no third party until the web
 *   interface asks the visitor and copies it into src (referrerpolicy no-referrer, lazy loading).
 */
const ALLOWED_TAGS = [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'details', 'summary', 'picture', 'del', 'ins', 'sup', 'sub', 'kbd'];

/**
 * README Markdown → HTML safe to embed: no scripts, styles, event handlers or
 * javascript: URLs. Relative links point to the file view on the host, relative images
 * to the raw file, so the README looks on the hub as it does on the forge. Where the host
 * serves no files, a relative link keeps its text without a target and a relative image
 * becomes its alt text in a `span.readme-image-unavailable` (and is listed in unservedImages).
 */
export function renderReadme(file: ReadmeFile, targets: LinkTargets, maxBytes: number): RenderedReadme {
  if (file.content.length > maxBytes) return { skipped: `README skipped: larger than ${Math.round(maxBytes / 1024)} KiB` };
  if (isBinary(file.content)) return { skipped: 'README skipped: binary file' };
  const text = decodeText(file.content).replace(/\r\n?/g, '\n');
  const markdownLike = /\.(md|markdown|mdown|mkdn)$/i.test(file.path) || /^readme$/i.test(file.path);
  const markdown = markdownLike ? renderMarkdown(text) : null;
  const notice = markdown && 'failed' in markdown ? `README shown as plain text: ${markdown.failed}` : undefined;
  const raw = markdown && 'html' in markdown ? markdown.html : `<pre>${escapeHtml(text)}</pre>`;
  const unservedImages: string[] = [];
  const ownRaw = targets.raw('README.md');
  const ownOrigin = ownRaw === null ? null : httpOrigin(ownRaw);
  const link = (tagName: string, original: sanitizeHtml.Attributes) => {
    const attribs = withPrefixedNames(original);
    const href = attribs.href;
    if (href !== undefined && isProtocolRelative(href)) {
      const { href: _dropped, ...rest } = attribs;
      return { tagName, attribs: rest };
    }
    if (href?.startsWith('#') && href.length > 1) return { tagName, attribs: { ...attribs, href: `#${prefixed(href.slice(1))}` } };
    if (href === undefined || !isRelative(href)) return { tagName, attribs };
    const { path, suffix } = resolvePath(href);
    const target = targets.blob(path);
    if (target === null) {
      const { href: _dropped, ...rest } = attribs;
      return { tagName, attribs: rest };
    }
    return { tagName, attribs: { ...attribs, href: target + suffix } };
  };
  const image = (tagName: string, original: sanitizeHtml.Attributes) => {
    // data-external-src is ours to set: one written in the README could carry any scheme.
    const { 'data-external-src': _forged, ...attribs } = withPrefixedNames(original);
    const src = attribs.src;
    if (src !== undefined && isProtocolRelative(src)) {
      return { tagName: 'span', attribs: { class: 'readme-image-unavailable', title: 'Image from another host without a scheme / Bild ohne Protokoll' }, text: attribs.alt ?? '' };
    }
    if (src === undefined) return { tagName, attribs };
    if (!isRelative(src)) {
      const origin = httpOrigin(src);
      if (origin === null || origin === ownOrigin) return { tagName, attribs };
      const { src: _moved, ...rest } = attribs;
      return { tagName, attribs: { ...rest, 'data-external-src': src, referrerpolicy: 'no-referrer', loading: 'lazy' } };
    }
    const { path, suffix } = resolvePath(src);
    const target = targets.raw(path);
    if (target !== null) return { tagName, attribs: { ...attribs, src: target + suffix } };
    unservedImages.push(path);
    return {
      tagName: 'span',
      attribs: { class: 'readme-image-unavailable', title: `Image ${path}: the host serves no files / Bild kann nicht angezeigt werden` },
      text: attribs.alt ?? '',
    };
  };
  const html = sanitizeHtml(raw, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      a: ['href', 'name', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height', 'align', 'data-external-src', 'referrerpolicy', 'loading'],
      code: ['class'],
      th: ['align'],
      td: ['align'],
      span: ['class', 'title'],
      '*': ['id', 'name'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    transformTags: { a: link, img: image, '*': (tagName, attribs) => ({ tagName, attribs: withPrefixedNames(attribs) }) },
  });
  return notice ? { markdown: text, html, unservedImages, notice } : { markdown: text, html, unservedImages };
}

/**
 * marked recurses once per nesting level: a README of thousands of nested quotes or lists
 * overflows the stack (a 120 KB file of "> " did). Such a README is kept as plain text, with
 * the reason, and the crawl goes on.
 */
function renderMarkdown(text: string): { html: string } | { failed: string } {
  try {
    return { html: marked.parse(text, { async: false, gfm: true }) as string };
  } catch (error) {
    const tooDeep = error instanceof RangeError;
    return { failed: tooDeep ? 'the Markdown is nested too deeply to render' : `the Markdown could not be rendered (${(error as Error).message.split('\n')[0]})` };
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

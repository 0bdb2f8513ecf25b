import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { goParseUrl } from './go-url.js';
import { readImageHeader } from './image-header.js';
import { LOGO_EXTENSIONS, SCREENSHOT_EXTENSIONS } from './vocabulary-enums.js';

// The spec asks for 1000 px; the reference relaxed this to 120 px, and so do we.
const MIN_LOGO_WIDTH = 120;
// Enough for the PNG/GIF header and the frame header of any ordinary JPEG.
const HEADER_BYTES = 64 * 1024;

/** The reference allows relative paths and URLs only; an error text, or null when the form is fine. */
export function relativeOrUrlProblem(value: string): string | null {
  if (value.startsWith('/')) return 'is an absolute path. Only relative paths or HTTP(s) URLs allowed';
  if (value.startsWith('file:')) return 'is a file:// URL. Only relative paths or HTTP(s) URLs allowed';
  return null;
}

/**
 * Where a relative path lands under baseDir; null for URLs (remote files are never fetched).
 * `display` is what messages show: the absolute path when baseDir is known, else the value.
 */
export function localTarget(value: string, baseDir: string | undefined): { path: string | null; display: string; outside: boolean } | null {
  const url = goParseUrl(value);
  if (url !== null && url.scheme !== '') return null;
  if (baseDir === undefined) return { path: null, display: value, outside: false };
  const base = resolve(baseDir);
  const path = resolve(base, value);
  return { path, display: path, outside: !inside(base, path) };
}

function inside(base: string, path: string): boolean {
  const rel = relative(base, path);
  if (rel === '') return true;
  return !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

/** A symlink inside the repository must not lead out of it (we read what it points to). */
function escapesBase(baseDir: string, path: string): boolean {
  try {
    return !inside(realpathSync(resolve(baseDir)), realpathSync(path));
  } catch {
    return false;
  }
}

function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(HEADER_BYTES);
    const n = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const OUTSIDE = 'points outside the repository. Only relative paths inside it or HTTP(s) URLs allowed';

/** The reference's logo check: extension, existence, and for PNGs a decodable image at least 120 px wide. */
export function logoProblem(value: string, baseDir: string | undefined): string | null {
  const target = localTarget(value, baseDir);
  if (target === null) return null;
  const ext = extname(value).toLowerCase();
  if (!(LOGO_EXTENSIONS as readonly string[]).includes(ext)) return `invalid file extension for: ${target.display}`;
  if (target.path === null) return null;
  if (target.outside || escapesBase(baseDir!, target.path)) return `'${value}' ${OUTSIDE}`;
  if (!isFile(target.path)) return `no such file: ${target.display}`;
  if (ext !== '.png') return null;
  const header = readImageHeader(head(target.path));
  if ('error' in header) return header.error;
  if (header.width < MIN_LOGO_WIDTH) {
    return `invalid image size of ${header.width} (min ${MIN_LOGO_WIDTH}px of width): ${target.display}`;
  }
  return null;
}

/** Screenshots must be JPEG or PNG files that exist. */
export function screenshotProblem(value: string, baseDir: string | undefined): string | null {
  const target = localTarget(value, baseDir);
  if (target === null) return null;
  const ext = extname(value).toLowerCase();
  if (!(SCREENSHOT_EXTENSIONS as readonly string[]).includes(ext)) return `'${value}' is not an image: invalid file extension for: ${target.display}`;
  if (target.path === null) return null;
  if (target.outside || escapesBase(baseDir!, target.path)) return `'${value}' ${OUTSIDE}`;
  if (!isFile(target.path)) return `'${value}' is not an image: no such file: ${target.display}`;
  return null;
}

export function authorsFileProblem(value: string, baseDir: string | undefined): string | null {
  const target = localTarget(value, baseDir);
  if (target === null || target.path === null) return null;
  if (target.outside || escapesBase(baseDir!, target.path)) return `'${value}' ${OUTSIDE}`;
  if (!isFile(target.path)) return `'${target.display}' does not exist: no such file: ${target.display}`;
  return null;
}

import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { checkSpdxExpression } from '../spdx/spdx-expression.js';

/**
 * Licence fields of package manifests at a repository root. Each returns the declared value as
 * an SPDX expression when it is one (normalised), else null: a free-text "BSD-like" is not
 * evidence we can use.
 */
type ManifestReader = { matches: (name: string) => boolean; read: (text: string) => string[] };

const READERS: ManifestReader[] = [
  { matches: (name) => name === 'package.json', read: (text) => fromJsonLicence(JSON.parse(text)) },
  { matches: (name) => name === 'composer.json', read: (text) => orOf(asList(JSON.parse(text)?.license)) },
  {
    matches: (name) => name === 'cargo.toml',
    read: (text) => asList((parseToml(text).package as Record<string, unknown> | undefined)?.license),
  },
  {
    matches: (name) => name === 'pyproject.toml',
    read: (text) => {
      const project = parseToml(text).project as Record<string, unknown> | undefined;
      const licence = project?.license;
      return asList(typeof licence === 'object' && licence !== null ? (licence as { text?: unknown }).text : licence);
    },
  },
  { matches: (name) => name === 'setup.cfg', read: (text) => asList(/^\s*license\s*=\s*(.+)$/m.exec(text)?.[1]) },
  // R packages: "License: MIT + file LICENSE" — the file holds the year and holder.
  {
    matches: (name) => name === 'description',
    read: (text) => asList(/^License:\s*(.+)$/m.exec(text)?.[1]?.replace(/\s*\+\s*file\s+LICEN[CS]E\s*$/i, '')),
  },
  {
    matches: (name) => name.endsWith('.gemspec'),
    read: (text) => [...text.matchAll(/\.licen[cs]es?\s*=\s*\[?([^\]\n]+)/g)].flatMap((m) => [...m[1]!.matchAll(/['"]([^'"]+)['"]/g)].map((q) => q[1]!)),
  },
  {
    matches: (name) => name === 'publiccode.yml' || name === 'publiccode.yaml',
    read: (text) => asList((parseYaml(text) as { legal?: { license?: unknown } } | null)?.legal?.license),
  },
];

/** The SPDX expressions a manifest file declares, or [] when it declares none we can read. */
export function manifestLicences(fileName: string, text: string): string[] {
  const reader = READERS.find((candidate) => candidate.matches(fileName.toLowerCase()));
  if (!reader) return [];
  let declared: string[];
  try {
    declared = reader.read(text);
  } catch {
    return []; // a broken manifest declares nothing
  }
  return declared
    .map((value) => checkSpdxExpression(value.trim()))
    .filter((check) => check.valid && check.normalised !== null)
    .map((check) => check.normalised!);
}

export function isManifest(fileName: string): boolean {
  return READERS.some((reader) => reader.matches(fileName.toLowerCase()));
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** composer.json: an array of licences means the user may choose (composer docs: "or"). */
function orOf(values: string[]): string[] {
  return values.length > 1 ? [values.map((value) => (/\s/.test(value.trim()) ? `(${value})` : value)).join(' OR ')] : values;
}

/** package.json: "license": "MIT", legacy {"type": "MIT"} or "licenses": [{"type": …}] (choice). */
function fromJsonLicence(manifest: { license?: unknown; licenses?: unknown } | null): string[] {
  const single = manifest?.license;
  if (typeof single === 'string') return [single];
  if (single && typeof single === 'object' && typeof (single as { type?: unknown }).type === 'string') {
    return [(single as { type: string }).type];
  }
  if (Array.isArray(manifest?.licenses)) {
    return orOf(manifest.licenses.map((item: unknown) => (item as { type?: unknown })?.type).filter((t): t is string => typeof t === 'string'));
  }
  return [];
}

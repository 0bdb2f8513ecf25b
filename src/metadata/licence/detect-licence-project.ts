import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { joinWithAnd } from '../spdx/spdx-expression.js';
import { canonicalLicenseId, isLicenseRef } from '../spdx/spdx-ids.js';
import { decodeText as decodeLicenceText } from '../../lib/decode-text.js';
import { detectLicenceInText, upgradeGnuTexts } from './detect-licence-text.js';
import { isManifest, manifestLicences } from './manifest-licences.js';
import { readmeGnuLaterNotices, readmeLicenceSection, referencedLicences } from './readme-licence.js';

export type ProjectFile = { path: string; content: Uint8Array };
export type FileEvidence = { path: string; spdx: string; confidence: number };
export type ProjectDetection = {
  /** An SPDX expression, `NONE` (only copyright statements) or `NOASSERTION`. */
  spdx: string;
  files: FileEvidence[];
  reason: string;
};

/** LICENSE, LICENCE.md, COPYING.lesser, UNLICENSE, COPYRIGHT, PATENTS, MIT-LICENSE … (any case and extension). */
const LICENCE_FILE = /^(?:(?:un)?licen[cs]e|copying|copyright|patents)(?:[._-][\w.-]*)?$|^[\w.-]+[-_]licen[cs]e(?:\.\w+)?$/i;
const README = /^readme(?:\.\w+)?$/i;
/** Manifests and READMEs larger than this are not licence evidence (1 MiB, far above any real one). */
const MAX_FILE_BYTES = 1024 * 1024;
const REFERENCE_CONFIDENCE = 0.8;
const MANIFEST_CONFIDENCE = 1;

/** Detect a repository's licence from its root folder on disk; reads only what the list variant needs. */
export function detectLicenceInProject(dir: string): ProjectDetection {
  const files: ProjectFile[] = [];
  const add = (relative: string): void => {
    const path = join(dir, relative);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.size <= MAX_FILE_BYTES) files.push({ path: relative, content: readFileSync(path) });
  };
  for (const name of readdirSync(dir)) {
    if (name === 'LICENSES' && statSync(join(dir, name)).isDirectory()) {
      for (const inner of readdirSync(join(dir, name))) add(`${name}/${inner}`);
    } else if (isRelevant(name)) add(name);
  }
  return detectLicenceInFiles(files);
}

/** The root files licence detection reads: licence texts, READMEs, manifests (the crawler fetches only these). */
export function isRelevant(name: string): boolean {
  return LICENCE_FILE.test(name) || README.test(name) || isManifest(name);
}

/**
 * Detect a repository's licence from its files (paths relative to the root), e.g. straight from
 * a git tree. Rules, in order:
 * 1. Licence files at the root (and REUSE `LICENSES/`) decide. One licence → that licence.
 *    Several licences all from REUSE `LICENSES/` → their AND (REUSE says every file names its
 *    own licences and all of them apply to the project). Several otherwise, or a licence file we
 *    cannot recognise (a modified licence, a patent grant) → NOASSERTION, with the list.
 *    An LGPL text next to the GPL text it builds on is the LGPL (the LGPL asks for both).
 * 2. Without licence files: manifest licence fields, then a README "License"/"Lizenz" section.
 * 3. A GNU full text becomes `-or-later` when a manifest, a notice anywhere in the README, or a
 *    notice in the file says so.
 * 4. A manifest that names another licence than the licence files → NOASSERTION.
 */
export function detectLicenceInFiles(files: ProjectFile[]): ProjectDetection {
  const evidence: FileEvidence[] = [];
  const licenceIds: string[] = [];
  const reuseIds: string[] = [];
  const unrecognised: string[] = [];
  const declared: string[] = [];
  const readme: string[] = [];
  const readmeUpgrades: string[] = [];
  let copyrightOnly = false;

  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = file.path.split('/').pop()!;
    const inReuse = /^LICENSES\/[^/]+$/.test(file.path);
    if (!inReuse && file.path.includes('/')) continue;
    if (inReuse || LICENCE_FILE.test(name)) {
      const found = detectLicenceInText(file.content);
      if (found.spdx !== null) {
        const confidence = Math.min(...found.matches.map((match) => match.confidence));
        for (const id of new Set(found.matches.map((match) => match.spdx))) (inReuse ? reuseIds : licenceIds).push(id);
        evidence.push({ path: file.path, spdx: found.spdx, confidence });
      } else if (inReuse && fileNameId(name)) {
        // REUSE names each file after its licence; a LicenseRef text need not be on the SPDX list.
        reuseIds.push(fileNameId(name)!);
        evidence.push({ path: file.path, spdx: fileNameId(name)!, confidence: REFERENCE_CONFIDENCE });
      } else if (found.copyrightOnly) {
        copyrightOnly = true;
        evidence.push({ path: file.path, spdx: 'NONE', confidence: 1 });
      } else {
        unrecognised.push(file.path);
        evidence.push({ path: file.path, spdx: 'NOASSERTION', confidence: 0 });
      }
    } else if (isManifest(name)) {
      for (const expression of manifestLicences(name, decodeLicenceText(file.content))) {
        declared.push(expression);
        evidence.push({ path: file.path, spdx: expression, confidence: MANIFEST_CONFIDENCE });
      }
    } else if (README.test(name)) {
      const text = decodeLicenceText(file.content);
      readmeUpgrades.push(...readmeGnuLaterNotices(text));
      const section = readmeLicenceSection(text);
      if (section === null) continue;
      const found = detectLicenceInText(section);
      const ids = found.spdx !== null ? [...new Set(found.matches.map((match) => match.spdx))] : referencedLicences(section);
      for (const id of ids) {
        readme.push(id);
        evidence.push({ path: file.path, spdx: id, confidence: found.spdx !== null ? Math.min(...found.matches.map((m) => m.confidence)) : REFERENCE_CONFIDENCE });
      }
    }
  }

  const hints = [...declared, ...readme, ...readmeUpgrades].map((spdx) => ({ spdx }));
  const decide = (spdx: string, reason: string): ProjectDetection => ({ spdx, files: evidence, reason });
  const upgraded = (ids: string[]): string[] => {
    const items = [...ids.map((spdx) => ({ spdx, kind: 'text' })), ...hints.map((hint) => ({ ...hint, kind: 'hint' }))];
    upgradeGnuTexts(items);
    return [...new Set(items.filter((item) => item.kind === 'text').map((item) => item.spdx))];
  };

  const fromFiles = withoutGplUnderLgpl(upgraded([...new Set(licenceIds)]));
  const fromReuse = upgraded([...new Set(reuseIds)]);
  if (unrecognised.length > 0) {
    const known = [...fromFiles, ...fromReuse, ...declared];
    return decide('NOASSERTION', `licence file not recognised: ${unrecognised.join(', ')}${known.length ? `; also found ${[...new Set(known)].join(', ')}` : ''}`);
  }
  if (fromFiles.length > 0 || fromReuse.length > 0) {
    const outsideReuse = fromFiles.filter((id) => !fromReuse.includes(id));
    if (fromReuse.length > 0 && outsideReuse.length === 0) {
      return checkDeclared(decide(joinWithAnd(fromReuse), 'REUSE LICENSES/ folder'), declared, fromReuse);
    }
    const all = [...new Set([...fromFiles, ...fromReuse])];
    if (all.length > 1) return decide('NOASSERTION', `several licences in licence files: ${all.join(', ')}`);
    return checkDeclared(decide(all[0]!, 'licence file'), declared, all);
  }
  const manifests = upgraded([...new Set(declared)]);
  if (manifests.length === 1) return decide(manifests[0]!, 'package manifest');
  if (manifests.length > 1) return decide('NOASSERTION', `manifests disagree: ${manifests.join(', ')}`);
  const fromReadme = upgraded([...new Set(readme)]);
  if (fromReadme.length === 1) return decide(fromReadme[0]!, 'README licence section');
  if (fromReadme.length > 1) return decide('NOASSERTION', `README names several licences: ${fromReadme.join(', ')}`);
  if (copyrightOnly) return decide('NONE', 'only copyright statements, no licence');
  return decide('NOASSERTION', 'no licence information found');
}

/** A manifest naming a licence the licence files do not have makes the result untrustworthy. */
function checkDeclared(result: ProjectDetection, declared: string[], ids: string[]): ProjectDetection {
  const base = (id: string): string => id.replace(/-(only|or-later)$|\+$/, '');
  const conflicting = declared.filter((expression) => !ids.some((id) => base(id) === base(expression) || expression === result.spdx));
  if (conflicting.length === 0) return result;
  return { ...result, spdx: 'NOASSERTION', reason: `licence files say ${result.spdx}, manifests say ${conflicting.join(', ')}` };
}

/** COPYING.LESSER with COPYING: the LGPL-3.0 is a set of permissions on top of the GPL-3.0. */
function withoutGplUnderLgpl(ids: string[]): string[] {
  if (!ids.some((id) => id.startsWith('LGPL-'))) return ids;
  return ids.filter((id) => !id.startsWith('GPL-3.0'));
}

/** `LICENSES/MIT.txt` → MIT, `LICENSES/LicenseRef-x.txt` → LicenseRef-x. */
function fileNameId(name: string): string | null {
  const stem = name.replace(/\.[^.]*$/, '');
  return canonicalLicenseId(stem) ?? (isLicenseRef(stem) ? stem : null);
}

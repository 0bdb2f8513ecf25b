import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import spdxFull from 'spdx-license-list/full';
import { describe, expect, it } from 'vitest';
import { detectLicenceInFiles, detectLicenceInProject, detectLicenceInText } from '../../src/metadata/licence/index.js';

const MIT = spdxFull.MIT!.licenseText.replace('<year> <copyright holders>', '2024 Stadt Musterhausen');
const GPL2 = spdxFull['GPL-2.0-only']!.licenseText;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('detectLicenceInText', () => {
  it('recognises the MIT text with its copyright line filled in', () => {
    expect(detectLicenceInText(MIT).spdx).toBe('MIT');
  });

  it('ignores case, line breaks, CRLF, a BOM, Markdown and list formatting', () => {
    const reformatted = `\uFEFF# The MIT License\r\n\r\n${MIT.toUpperCase().replace(/\n/g, '\r\n').replace(/ /g, '  ')}`;
    expect(detectLicenceInText(reformatted).spdx).toBe('MIT');
  });

  it('decodes Latin-1 when the bytes are not UTF-8', () => {
    const latin1 = Uint8Array.from(Buffer.from(`Copyright (c) 2024 J\xfcrgen M\xfcller\n\n${MIT}`, 'latin1'));
    const result = detectLicenceInText(latin1);
    expect(result.spdx).toBe('MIT');
  });

  const BSD3 = spdxFull['BSD-3-Clause']!.licenseText;
  const CLAUSE3 = 'Neither the name of the copyright holder nor the names of its contributors may be used';

  it('accepts the spellings of the BSD non-endorsement clause that the SPDX template lists', () => {
    for (const subject of ['The names of the contributors may not', 'None of the names of Stadt Musterhausen and any contributors may']) {
      expect(detectLicenceInText(BSD3.replace(CLAUSE3, `${subject} be used`)).spdx).toBe('BSD-3-Clause');
    }
  });

  it('does not report BSD-3-Clause when the non-endorsement clause permits endorsement', () => {
    const permissive = BSD3.replace(CLAUSE3, 'The names of the contributors may be used');
    expect(detectLicenceInText(permissive).spdx).not.toBe('BSD-3-Clause');
  });

  it('mends words broken or glued by reformatting, but a misspelt word stays a change', () => {
    const glued = BSD3.replace('BUT NOT LIMITED', 'BUT NOTLIMITED').replace('documentation and/or', 'docume ntation and/or');
    expect(detectLicenceInText(glued).spdx).toBe('BSD-3-Clause');
    const misspelt = MIT.replace('SHALL', 'SaALL').replace('PURPOSE', 'PURPOa');
    expect(detectLicenceInText(misspelt).spdx).toBeNull();
  });

  it('does not report a licence with an added restriction as the original', () => {
    const restricted = MIT.replace(
      'portions of the Software.',
      'portions of the Software.\n\nThe Software may not be used by companies with more than ten employees.',
    );
    expect(detectLicenceInText(restricted).spdx).toBeNull();
  });

  it('does not report a licence missing a whole clause as the original (MIT without its notice clause is MIT-0)', () => {
    const withoutNotice = MIT.replace(
      'The above copyright notice and this permission notice shall be included in all copies or substantial\nportions of the Software.',
      '',
    );
    expect(detectLicenceInText(withoutNotice).spdx).toBe('MIT-0');
  });

  it('reports a bare GNU full text as -only, the smallest claim the text supports', () => {
    expect(detectLicenceInText(GPL2).spdx).toBe('GPL-2.0-only');
  });

  it('reports a GNU full text as -or-later when a notice in the file says so', () => {
    const notice =
      'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n\n';
    expect(detectLicenceInText(notice + GPL2).spdx).toBe('GPL-2.0-or-later');
  });

  it('reads standard headers and SPDX-License-Identifier lines', () => {
    expect(detectLicenceInText('// Licensed under the Apache License, Version 2.0 (the "License");').spdx).toBe('Apache-2.0');
    expect(detectLicenceInText('# SPDX-License-Identifier: eupl-1.2').spdx).toBe('EUPL-1.2');
    expect(
      detectLicenceInText('under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; version 2.1 of the License.').spdx,
    ).toBe('LGPL-2.1-only');
  });

  it('finds nothing in ordinary prose', () => {
    const result = detectLicenceInText('This module parses publiccode.yml files for the registry.');
    expect(result).toMatchObject({ spdx: null, matches: [] });
  });
});

describe('detectLicenceInFiles', () => {
  it('joins the licences of a REUSE LICENSES/ folder with AND', () => {
    const result = detectLicenceInFiles([
      { path: 'LICENSES/MIT.txt', content: encode(MIT) },
      { path: 'LICENSES/GPL-2.0-only.txt', content: encode(GPL2) },
    ]);
    expect(result.spdx).toBe('GPL-2.0-only AND MIT');
  });

  it('says NOASSERTION for different licences in top-level licence files, and lists them', () => {
    const result = detectLicenceInFiles([
      { path: 'LICENSE', content: encode(MIT) },
      { path: 'COPYING', content: encode(GPL2) },
    ]);
    expect(result.spdx).toBe('NOASSERTION');
    expect(result.files.map((file) => file.spdx).sort()).toEqual(['GPL-2.0-only', 'MIT']);
  });

  it('upgrades a GNU text when package.json declares -or-later', () => {
    const result = detectLicenceInFiles([
      { path: 'COPYING', content: encode(GPL2) },
      { path: 'package.json', content: encode('{"license": "GPL-2.0-or-later"}') },
    ]);
    expect(result.spdx).toBe('GPL-2.0-or-later');
  });

  const GPL3 = spdxFull['GPL-3.0-only']!.licenseText;
  const AGPL3 = spdxFull['AGPL-3.0-only']!.licenseText;
  const gnuIntro = (licence: string, version: string) =>
    `# Bürgerportal\n\nThis program is free software: you can redistribute it and/or modify it under the terms of the ${licence} ` +
    `as published by the Free Software Foundation, either version ${version} of the License, or (at your option) any later version.\n\n` +
    '## Installation\n\n`npm ci`\n';

  it('upgrades a GNU text to -or-later when the README introduction (not a licence section) says "or any later version"', () => {
    const gpl = detectLicenceInFiles([
      { path: 'COPYING', content: encode(GPL3) },
      { path: 'README.md', content: encode(gnuIntro('GNU General Public License', '3')) },
    ]);
    expect(gpl.spdx).toBe('GPL-3.0-or-later');
    const agpl = detectLicenceInFiles([
      { path: 'LICENSE', content: encode(AGPL3) },
      { path: 'README.md', content: encode(gnuIntro('GNU Affero General Public License', '3')) },
    ]);
    expect(agpl.spdx).toBe('AGPL-3.0-or-later');
  });

  it('leaves a GNU text -only when the README upgrades another GNU licence or version', () => {
    const otherVersion = detectLicenceInFiles([
      { path: 'COPYING', content: encode(GPL3) },
      { path: 'README.md', content: encode(gnuIntro('GNU General Public License', '2')) },
    ]);
    expect(otherVersion.spdx).toBe('GPL-3.0-only');
    const otherFamily = detectLicenceInFiles([
      { path: 'COPYING', content: encode(GPL3) },
      { path: 'README.md', content: encode(gnuIntro('GNU Lesser General Public License', '3')) },
    ]);
    expect(otherFamily.spdx).toBe('GPL-3.0-only');
  });

  it('falls back to manifests and then to the README licence section', () => {
    expect(detectLicenceInFiles([{ path: 'Cargo.toml', content: encode('[package]\nlicense = "MIT OR Apache-2.0"\n') }]).spdx).toBe(
      'MIT OR Apache-2.0',
    );
    const readme = '# Projekt\n\nText.\n\n## Lizenz\n\nDieses Projekt steht unter der EUPL-1.2.\n\n## Kontakt\n';
    expect(detectLicenceInFiles([{ path: 'README.md', content: encode(readme) }]).spdx).toBe('EUPL-1.2');
  });

  it('says NOASSERTION when a manifest contradicts the licence file', () => {
    const result = detectLicenceInFiles([
      { path: 'LICENSE', content: encode(MIT) },
      { path: 'package.json', content: encode('{"license": "ISC"}') },
    ]);
    expect(result.spdx).toBe('NOASSERTION');
  });

  it('reads a folder on disk like the in-memory list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'licence-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'LICENSE.md'), MIT);
    writeFileSync(join(dir, 'src', 'LICENSE'), GPL2); // not at the root: ignored
    expect(detectLicenceInProject(dir)).toMatchObject({ spdx: 'MIT', files: [{ path: 'LICENSE.md', spdx: 'MIT' }] });
  });
});

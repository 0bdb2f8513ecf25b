import spdxFull from 'spdx-license-list/full';
import { describe, expect, it } from 'vitest';
import { detectLicenceInFiles, detectLicenceInText } from '../../src/metadata/licence/index.js';

/** Licence texts as projects copy them (variants the SPDX templates allow), and notices that name or add to a licence. */
const text = (id: string): string => spdxFull[id]!.licenseText;
const encode = (value: string): Uint8Array => new TextEncoder().encode(value);

const APACHE11 = text('Apache-1.1');
const CLAUSE5 =
  'Products derived from this software may not be called "Apache" nor may "Apache" appear in their name, without prior written permission of the Apache Software Foundation.';

describe('licence texts as projects copy them', () => {
  it('recognises Apache-1.1 with example names in clause 5, another contact and the name clause in the singular', () => {
    const copied = APACHE11.replace(
      CLAUSE5,
      'Products derived from this software may not be called "Apache" [ex. "Jakarta," "Apache," or "Apache Commons,"] nor may "Apache" [ex. the names] appear in their name, without prior written permission of the Apache Software Foundation.',
    )
      .replace('please contact apache@apache.org', 'please contact the Stadtwerke Musterhausen')
      .replace('The names "Apache"', 'The name "Apache"');
    expect(detectLicenceInText(copied).spdx).toBe('Apache-1.1');
  });

  it('does not report Apache-1.1 when clause 5 allows the name', () => {
    const permissive = APACHE11.replace(CLAUSE5, 'Products derived from this software may be called "Apache" in their name.');
    expect(detectLicenceInText(permissive).spdx).not.toBe('Apache-1.1');
  });

  it('recognises the WTFPL with its title word starred, and by its name alone', () => {
    expect(detectLicenceInText(text('WTFPL').replaceAll('FUCK', 'F*CK')).spdx).toBe('WTFPL');
    expect(detectLicenceInText(text('WTFPL').replaceAll('FUCK', 'F***')).spdx).toBe('WTFPL');
    expect(detectLicenceInText('DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE\n\n0. You just DO WHAT THE FUCK YOU WANT TO.').spdx).toBe('WTFPL');
  });

  it('recognises MulanPSL-2.0, whose closing notice repeats sentences of its terms', () => {
    expect(detectLicenceInText(text('MulanPSL-2.0')).spdx).toBe('MulanPSL-2.0');
  });

  it('recognises CC-BY-3.0 without the Creative Commons disclaimer its template marks optional, after another licence', () => {
    const cc = text('CC-BY-3.0');
    const withoutHeader = cc.slice(cc.indexOf('THE WORK (AS DEFINED BELOW)'));
    const bsd = text('BSD-3-Clause');
    expect(detectLicenceInText(`${bsd}\n\nDocumentation is available under the following licence.\n\n${withoutHeader}`).spdx).toBe(
      'BSD-3-Clause AND CC-BY-3.0',
    );
  });
});

describe('notices that name or add to a licence', () => {
  const warranty =
    'This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.';

  it('reads "Lesser GNU General Public License" as the LGPL, not the GPL', () => {
    const header = `This program is free software: you can redistribute it and/or modify it under the terms of the Lesser GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\n${warranty}`;
    expect(detectLicenceInText(header).spdx).toBe('LGPL-3.0-or-later');
  });

  it('reads a GNU Affero header whose words resemble a short permissive licence', () => {
    const header = `This program is free software: you can redistribute it and/or modify it under the terms of the GNU Affero General Public License, version 3 or later, as published by the Free Software Foundation.\n\n${warranty} See the GNU Affero General Public License for more details.`;
    expect(detectLicenceInText(header).spdx).toBe('AGPL-3.0-or-later');
  });

  it('reads "either version 2 or (at your option) version 3" as a choice of the two versions', () => {
    const header = `This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 2 or (at your option) version 3 of the License.\n\n${warranty}`;
    expect(detectLicenceInText(header).spdx).toBe('GPL-2.0-only OR GPL-3.0-only');
  });

  it('reports the Commons Clause next to the licence it restricts, so the project is not taken for plain Apache-2.0', () => {
    const licence = [
      'Licensed under the Apache License, Version 2.0 (the "License") and the Commons Clause Restriction.',
      'Commons Clause Restriction: the grant of rights under the License will not include, and the License does not grant to you, the right to Sell the Software.',
    ].join('\n\n');
    expect(detectLicenceInText(licence).spdx).toBe('Apache-2.0 AND LicenseRef-Commons-Clause');
    expect(detectLicenceInFiles([{ path: 'LICENSE', content: encode(licence) }]).spdx).not.toBe('Apache-2.0');
  });
});

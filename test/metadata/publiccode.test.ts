import { describe, expect, it } from 'vitest';
import { validatePubliccode, type PubliccodeVerdict } from '../../src/metadata/publiccode/index.js';
import { LONG, VALID } from '../helpers/publiccode-fixture';


const errors = (v: PubliccodeVerdict) => v.results.filter((r) => r.type === 'error');
const errorKeys = (v: PubliccodeVerdict) => errors(v).map((r) => r.key);

describe('validatePubliccode', () => {
  it('accepts a complete 0.7 file without any finding and fills the model', () => {
    const verdict = validatePubliccode(VALID);
    expect(verdict.results).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(verdict.version).toBe('0');
    expect(verdict.model?.name).toBe('Bürgerservice');
    expect(verdict.model?.description.de?.features).toEqual(['Terminvergabe']);
    expect(verdict.model?.legal.license).toBe('EUPL-1.2');
    expect(verdict.model?.maintenance.contacts[0]?.email).toBe('erika.mustermann@musterstadt.de');
  });

  it('accepts bytes as well as text', () => {
    expect(validatePubliccode(new TextEncoder().encode(VALID)).valid).toBe(true);
  });

  it('gives key, line, column and the reference message of a typical error', () => {
    const verdict = validatePubliccode(VALID.replace('license: EUPL-1.2', 'license: Invalid License'));
    expect(verdict.valid).toBe(false);
    expect(verdict.results).toEqual([
      {
        type: 'error',
        key: 'legal.license',
        message: 'license must be a valid license (see https://spdx.org/licenses)',
        line: 22,
        column: 3,
      },
    ]);
  });

  it('names list entries by index, like description.de.features[0] and categories[0]', () => {
    const verdict = validatePubliccode(VALID.replace('- document-management', '- paperwork'));
    expect(verdict.results[0]).toMatchObject({ key: 'categories[0]', line: 8, column: 5 });
  });

  it('still builds the model from a file with errors', () => {
    const broken = VALID.replace('developmentStatus: stable\n', '').replace('license: EUPL-1.2', 'license: []');
    const verdict = validatePubliccode(broken);
    expect(verdict.valid).toBe(false);
    expect(errorKeys(verdict)).toEqual(['legal.license', 'developmentStatus', 'legal.license']);
    expect(verdict.model).toMatchObject({ name: 'Bürgerservice', developmentStatus: null, platforms: ['web'] });
    expect(verdict.model?.description.de?.shortDescription).toBe('Bürgeranliegen digital bearbeiten');
    expect(verdict.model?.legal.license).toBeNull();
  });

  it('reports a key the standard does not know as an error at its line', () => {
    const verdict = validatePubliccode(`${VALID}foobar: 1\n`);
    expect(verdict.results).toEqual([{ type: 'error', key: 'foobar', message: 'unknown field "foobar"', line: 33, column: 1 }]);
  });

  it('matches licence ids case-insensitively and accepts deprecated ids, as go-spdx does', () => {
    expect(validatePubliccode(VALID.replace('EUPL-1.2', 'mit OR apache-2.0')).valid).toBe(true);
    expect(validatePubliccode(VALID.replace('EUPL-1.2', 'GPL-2.0')).valid).toBe(true);
    expect(validatePubliccode(VALID.replace('EUPL-1.2', 'mit OR apache-2.0')).model?.legal.license).toBe('MIT OR Apache-2.0');
  });
});

describe('publiccodeYmlVersion', () => {
  it('rejects version "1" with the reference message and no other finding', () => {
    const verdict = validatePubliccode(VALID.replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "1"'));
    expect(verdict.valid).toBe(false);
    expect(verdict.version).toBe('1');
    expect(verdict.results).toEqual([
      {
        type: 'error',
        key: 'publiccodeYmlVersion',
        message: "unsupported version: '1'. Supported versions: 0, 0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5.0, 0.5, 0.7.0, 0.7",
        line: 0,
        column: 0,
      },
    ]);
  });

  it('parses an older version as 0.7 with a warning', () => {
    const verdict = validatePubliccode(VALID.replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.2"'));
    expect(verdict.valid).toBe(true);
    expect(verdict.results).toEqual([
      { type: 'warning', key: 'publiccodeYmlVersion', message: "v0.2 is not the latest version, use '0'. Parsing this file as v0.7.", line: 1, column: 1 },
    ]);
  });

  it('treats an unquoted number as the wrong type, like the reference', () => {
    const verdict = validatePubliccode(VALID.replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: 0.7'));
    expect(verdict.results).toEqual([{ type: 'error', key: 'publiccodeYmlVersion', message: 'wrong type for this field', line: 1, column: 1 }]);
  });

  it('requires the version key', () => {
    expect(errorKeys(validatePubliccode(VALID.replace('publiccodeYmlVersion: "0"\n', '')))).toEqual(['publiccodeYmlVersion']);
    expect(errorKeys(validatePubliccode(''))).toEqual(['publiccodeYmlVersion']);
    expect(errorKeys(validatePubliccode('- a list\n- not a mapping\n'))).toEqual(['publiccodeYmlVersion']);
  });
});

describe('the German de section', () => {
  const withDe = (section: string) => `${VALID}${section}`;

  it('is accepted with LeiKa and OZG references and lands in the model', () => {
    const verdict = validatePubliccode(
      withDe(`de:
  countryExtensionVersion: "1.0"
  leika:
    - themenfeld: Mobilität und Reisen
      lebenslage: Umzug
      ozg-id: "10061"
      leika-id: "99115003001000"
`),
    );
    expect(verdict.results).toEqual([]);
    expect(verdict.model?.de).toEqual({
      countryExtensionVersion: '1.0',
      leika: [{ themenfeld: 'Mobilität und Reisen', lebenslage: 'Umzug', ozgId: '10061', leikaId: '99115003001000' }],
    });
  });

  it('rejects empty strings, empty entries and unknown keys inside it', () => {
    const verdict = validatePubliccode(
      withDe(`de:
  countryExtensionVersion: ""
  leika:
    - leika-id: " "
    - {}
  foo: bar
`),
    );
    expect(errorKeys(verdict)).toEqual(['de.foo', 'de.countryExtensionVersion', 'de.leika[0].leika-id', 'de.leika[1]']);
  });

  it('rejects a wrongly typed entry like any other section, by the key on its line', () => {
    const verdict = validatePubliccode(withDe('de:\n  leika:\n    - ozg-id: [1]\n'));
    expect(verdict.results).toEqual([{ type: 'error', key: 'de.leika[0]', message: 'wrong type for this field', line: 35, column: 1 }]);
  });

  it('is not reported as an unknown key, unlike other country codes', () => {
    expect(errorKeys(validatePubliccode(withDe('de:\n  countryExtensionVersion: "1.0"\n')))).toEqual([]);
    expect(errorKeys(validatePubliccode(withDe('fr:\n  countryExtensionVersion: "1.0"\n')))).toEqual(['fr']);
  });
});

describe('field rules', () => {
  it('checks language tags against the IANA registry, not only their shape', () => {
    const tags = (lang: string) => validatePubliccode(VALID.replace('availableLanguages:\n    - de', `availableLanguages:\n    - ${lang}`));
    expect(tags('de-DE').valid).toBe(true);
    expect(tags('sl-IT-nedis').valid).toBe(true);
    expect(errorKeys(tags('en_GB'))).toEqual(['localisation.availableLanguages[0]']);
    expect(errorKeys(tags('xxx'))).toEqual(['localisation.availableLanguages[0]']);
  });

  it('reads numbers in text fields as the reference does: a 36-digit genericName stays 36 characters long', () => {
    const verdict = validatePubliccode(VALID.replace('    shortDescription:', '    genericName: 012345678901234567890123456789012345\n    shortDescription:'));
    expect(errorKeys(verdict)).toEqual(['description.de.genericName']);
  });

  it('resolves anchors, aliases and << merge keys, with the mapping’s own keys winning', () => {
    const yaml = VALID.replace('  de:\n', '  en: &en\n    shortDescription: Handle citizen requests\n    longDescription: >\n      ' + LONG + '\n    features: [Appointments]\n  de:\n    <<: *en\n');
    const verdict = validatePubliccode(yaml.replace('availableLanguages:\n    - de', 'availableLanguages: [de, en]'));
    expect(verdict.results).toEqual([]);
    expect(verdict.model?.description.de?.shortDescription).toBe('Bürgeranliegen digital bearbeiten');
    expect(verdict.model?.description.en?.features).toEqual(['Appointments']);
  });

  it('keeps numbers in text fields as written in the model', () => {
    const verdict = validatePubliccode(VALID.replace('releaseDate:', 'softwareVersion: 1.10\nreleaseDate:').replace('"+49 30 1234567"', '+4930123456'));
    expect(verdict.valid).toBe(true);
    expect(verdict.model?.softwareVersion).toBe('1.10');
    expect(verdict.model?.maintenance.contacts[0]?.phone).toBe('+4930123456');
  });

  it('accepts only true and false as booleans (no YAML 1.1 yes/no)', () => {
    const verdict = validatePubliccode(VALID.replace('localisationReady: true', 'localisationReady: yes'));
    expect(errorKeys(verdict)).toEqual(['localisation.localisationReady', 'localisation.localisationReady', 'localisation.availableLanguages']);
  });

  it('checks e-mail addresses of contacts and contractors', () => {
    const verdict = validatePubliccode(VALID.replace('erika.mustermann@musterstadt.de', 'erika at musterstadt'));
    expect(verdict.results).toMatchObject([{ key: 'maintenance.contacts[0].email', message: 'email must be a valid email address' }]);
  });

  it('only warns about a phone number that is not one (the reference accepts any text)', () => {
    const verdict = validatePubliccode(VALID.replace('"+49 30 1234567"', 'call the town hall'));
    expect(verdict.valid).toBe(true);
    expect(verdict.results).toMatchObject([{ type: 'warning', key: 'maintenance.contacts[0].phone' }]);
  });

  it('limits shortDescription to 150 user-perceived characters', () => {
    const at = (text: string) => validatePubliccode(VALID.replace('Bürgeranliegen digital bearbeiten', text));
    expect(at('é'.repeat(150)).valid).toBe(true);
    expect(at('e\u0301'.repeat(150)).valid).toBe(true);
    expect(errorKeys(at('x'.repeat(151)))).toEqual(['description.de.shortDescription']);
  });

  it('requires contractors exactly when maintenance.type is contract', () => {
    const contract = validatePubliccode(VALID.replace('type: community', 'type: contract'));
    expect(errorKeys(contract)).toEqual(['maintenance.contractors']);
    const extra = VALID.replace('  contacts:', '  contractors:\n    - name: Firma\n      until: "2030-01-01"\n  contacts:');
    expect(validatePubliccode(extra).results).toMatchObject([
      { key: 'maintenance.contractors', message: 'contractors must not be present unless "type" is "contract"' },
    ]);
  });

  it('accepts supports aliases of 0.7 and URIs, and rejects unknown aliases', () => {
    const supports = (ids: string) => validatePubliccode(VALID.replace('developmentStatus:', `supports:\n${ids}developmentStatus:`));
    expect(supports('  - id: alias:gdpr\n  - id: "urn:iso:std:iso:27001"\n  - id: "https://eur-lex.europa.eu/eli/reg/2016/679/oj"\n').valid).toBe(true);
    expect(errorKeys(supports('  - id: alias:nonexistent\n'))).toEqual(['supports[0].id']);
  });

  it('still validates the deprecated Italian section and warns about it', () => {
    const verdict = validatePubliccode(`${VALID}it:\n  countryExtensionVersion: "1.1"\n  riuso:\n    codiceIPA: pcm\n`);
    expect(errorKeys(verdict)).toEqual(['it.countryExtensionVersion']);
    expect(verdict.results.filter((r) => r.type === 'warning').map((r) => r.key)).toEqual(['it', 'IT.riuso.codiceIPA']);
    expect(verdict.model?.organisation).toEqual({ name: 'Stadt Musterstadt', uri: 'https://www.musterstadt.de' });
  });
});

describe('links in the stored publiccode model', () => {
  it('keeps http(s) links and drops javascript:, data: and protocol-relative ones, which a page would render as href', () => {
    const yml = VALID.replace(
      'url: "https://git.example.org/kommune/buergerservice.git"',
      'url: "https://git.example.org/kommune/buergerservice.git"\nlandingURL: "javascript:alert(1)"\nroadmap: "//evil.example/r"\nlogo: "data:image/svg+xml,<svg onload=alert(1)>"',
    );
    const model = validatePubliccode(yml).model;
    expect(model?.url).toBe('https://git.example.org/kommune/buergerservice.git');
    expect(model?.landingURL).toBeNull();
    expect(model?.roadmap).toBeNull();
    expect(model?.logo).toBeNull();
  });
});

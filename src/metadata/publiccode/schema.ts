/**
 * The shape of a publiccode.yml 0.x file, field order as in the reference's Go struct (results
 * come out in this order). `url` fields are strings that Go's url.Parse must accept; `optional`
 * structs are pointers in the reference (absent → not validated), the others are always checked.
 */
export type Schema =
  | { kind: 'string' }
  | { kind: 'url' }
  | { kind: 'bool' }
  | { kind: 'list'; of: Schema }
  | { kind: 'urlOrList' }
  | { kind: 'struct'; fields: readonly (readonly [string, Schema])[] }
  | { kind: 'map'; of: Schema };

const string: Schema = { kind: 'string' };
const url: Schema = { kind: 'url' };
const bool: Schema = { kind: 'bool' };
const list = (of: Schema): Schema => ({ kind: 'list', of });
const struct = (fields: readonly (readonly [string, Schema])[]): Schema => ({ kind: 'struct', fields });

const organisation = struct([
  ['name', string],
  ['uri', string],
]);

const dependency = struct([
  ['name', string],
  ['versionMin', string],
  ['versionMax', string],
  ['optional', bool],
  ['version', string],
]);

const description = struct([
  ['localisedName', string],
  ['genericName', string],
  ['shortDescription', string],
  ['longDescription', string],
  ['documentation', url],
  ['apiDocumentation', url],
  ['features', list(string)],
  ['screenshots', list(string)],
  ['videos', list(url)],
  ['awards', list(string)],
]);

const italianSection = struct([
  ['countryExtensionVersion', string],
  [
    'conforme',
    struct([
      ['lineeGuidaDesign', bool],
      ['modelloInteroperabilita', bool],
      ['misureMinimeSicurezza', bool],
      ['gdpr', bool],
    ]),
  ],
  ['riuso', struct([['codiceIPA', string]])],
  [
    'piattaforme',
    struct([
      ['spid', bool],
      ['pagopa', bool],
      ['cie', bool],
      ['anpr', bool],
      ['io', bool],
    ]),
  ],
]);

/** Our addition: German services by LeiKa (Leistungskatalog) and OZG (Onlinezugangsgesetz) ids. */
const germanSection = struct([
  ['countryExtensionVersion', string],
  [
    'leika',
    list(
      struct([
        ['themenfeld', string],
        ['lebenslage', string],
        ['ozg-id', string],
        ['leika-id', string],
      ]),
    ),
  ],
]);

export const PUBLICCODE_SCHEMA = struct([
  ['publiccodeYmlVersion', string],
  ['name', string],
  ['applicationSuite', string],
  ['url', url],
  ['landingURL', url],
  ['isBasedOn', { kind: 'urlOrList' }],
  ['softwareVersion', string],
  ['releaseDate', string],
  ['logo', string],
  ['monochromeLogo', string],
  ['organisation', organisation],
  ['inputTypes', list(string)],
  ['outputTypes', list(string)],
  ['platforms', list(string)],
  ['categories', list(string)],
  ['usedBy', list(string)],
  ['fundedBy', list(organisation)],
  ['roadmap', url],
  ['developmentStatus', string],
  ['softwareType', string],
  ['supports', list(struct([['id', string]]))],
  [
    'intendedAudience',
    struct([
      ['scope', list(string)],
      ['countries', list(string)],
      ['unsupportedCountries', list(string)],
    ]),
  ],
  ['description', { kind: 'map', of: description }],
  [
    'legal',
    struct([
      ['license', string],
      ['mainCopyrightOwner', string],
      ['repoOwner', string],
      ['authorsFile', string],
    ]),
  ],
  [
    'maintenance',
    struct([
      ['type', string],
      [
        'contractors',
        list(
          struct([
            ['name', string],
            ['email', string],
            ['website', url],
            ['until', string],
          ]),
        ),
      ],
      [
        'contacts',
        list(
          struct([
            ['name', string],
            ['email', string],
            ['affiliation', string],
            ['phone', string],
          ]),
        ),
      ],
    ]),
  ],
  [
    'localisation',
    struct([
      ['localisationReady', bool],
      ['availableLanguages', list(string)],
    ]),
  ],
  [
    'dependsOn',
    struct([
      ['open', list(dependency)],
      ['proprietary', list(dependency)],
      ['hardware', list(dependency)],
    ]),
  ],
  ['IT', italianSection],
  ['it', italianSection],
  ['DE', germanSection],
  ['de', germanSection],
]);

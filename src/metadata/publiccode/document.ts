/** What the decoder produces for a file, typed after PUBLICCODE_SCHEMA; absent or null → undefined. */
export type Org = { name?: string; uri?: string };
export type Dependency = { name?: string; versionMin?: string; versionMax?: string; optional?: boolean; version?: string };
export type Description = {
  localisedName?: string;
  genericName?: string;
  shortDescription?: string;
  longDescription?: string;
  documentation?: string;
  apiDocumentation?: string;
  features?: string[];
  screenshots?: string[];
  videos?: string[];
  awards?: string[];
};
export type Contractor = { name?: string; email?: string; website?: string; until?: string };
export type Contact = { name?: string; email?: string; affiliation?: string; phone?: string };
export type ItalianSection = {
  countryExtensionVersion?: string;
  conforme?: { lineeGuidaDesign?: boolean; modelloInteroperabilita?: boolean; misureMinimeSicurezza?: boolean; gdpr?: boolean };
  riuso?: { codiceIPA?: string };
  piattaforme?: { spid?: boolean; pagopa?: boolean; cie?: boolean; anpr?: boolean; io?: boolean };
};
export type LeikaEntry = { themenfeld?: string; lebenslage?: string; 'ozg-id'?: string; 'leika-id'?: string };
export type GermanSection = { countryExtensionVersion?: string; leika?: LeikaEntry[] };

export type Doc = {
  publiccodeYmlVersion?: string;
  name?: string;
  applicationSuite?: string;
  url?: string;
  landingURL?: string;
  isBasedOn?: string[];
  softwareVersion?: string;
  releaseDate?: string;
  logo?: string;
  monochromeLogo?: string;
  organisation?: Org;
  inputTypes?: string[];
  outputTypes?: string[];
  platforms?: string[];
  categories?: string[];
  usedBy?: string[];
  fundedBy?: Org[];
  roadmap?: string;
  developmentStatus?: string;
  softwareType?: string;
  supports?: { id?: string }[];
  intendedAudience?: { scope?: string[]; countries?: string[]; unsupportedCountries?: string[] };
  description?: Map<string, Description>;
  legal?: { license?: string; mainCopyrightOwner?: string; repoOwner?: string; authorsFile?: string };
  maintenance?: { type?: string; contractors?: Contractor[]; contacts?: Contact[] };
  localisation?: { localisationReady?: boolean; availableLanguages?: string[] };
  dependsOn?: { open?: Dependency[]; proprietary?: Dependency[]; hardware?: Dependency[] };
  IT?: ItalianSection;
  it?: ItalianSection;
  DE?: GermanSection;
  de?: GermanSection;
};

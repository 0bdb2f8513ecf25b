/** One finding; `key` is the reference parser's key path (`legal.license`, `description.en.features[0]`, `` for the root). */
export type PubliccodeResult = {
  type: 'error' | 'warning';
  key: string;
  message: string;
  /** 1-based; 0 when the key has no place in the file (e.g. a required section that is missing). */
  line: number;
  column: number;
};

export type PubliccodeVerdict = {
  /** No error-type result (warnings allowed). */
  valid: boolean;
  /** `publiccodeYmlVersion` as written, when it is a string. */
  version: string | null;
  results: PubliccodeResult[];
  /** Normalised content, filled as far as the file allows even when it has errors; null only when the YAML cannot be parsed. */
  model: PubliccodeModel | null;
};

export type PubliccodeOptions = {
  /** Folder of the publiccode.yml; set → logo, screenshots and legal.authorsFile are checked on disk relative to it. */
  baseDir?: string;
  /** Always off: remote URLs are never fetched (kept in the signature so callers state it). */
  network?: false;
};

export type PubliccodeDescription = {
  localisedName: string | null;
  genericName: string | null;
  shortDescription: string | null;
  longDescription: string | null;
  documentation: string | null;
  apiDocumentation: string | null;
  features: string[];
  screenshots: string[];
  videos: string[];
  awards: string[];
};

export type PubliccodeOrganisation = { name: string | null; uri: string | null };

export type PubliccodeContractor = { name: string | null; email: string | null; website: string | null; until: string | null };

export type PubliccodeContact = { name: string | null; email: string | null; affiliation: string | null; phone: string | null };

export type PubliccodeDependency = {
  name: string | null;
  versionMin: string | null;
  versionMax: string | null;
  version: string | null;
  optional: boolean | null;
};

export type PubliccodeItalianSection = {
  countryExtensionVersion: string | null;
  conforme: { lineeGuidaDesign: boolean | null; modelloInteroperabilita: boolean | null; misureMinimeSicurezza: boolean | null; gdpr: boolean | null } | null;
  riuso: { codiceIPA: string | null };
  piattaforme: { spid: boolean; pagopa: boolean; cie: boolean; anpr: boolean; io: boolean };
};

/** Our German extension: LeiKa (Leistungskatalog) and OZG references of the services the software supports. */
export type PubliccodeGermanSection = {
  countryExtensionVersion: string | null;
  leika: { themenfeld: string | null; lebenslage: string | null; ozgId: string | null; leikaId: string | null }[];
};

export type PubliccodeModel = {
  publiccodeYmlVersion: string | null;
  name: string | null;
  applicationSuite: string | null;
  url: string | null;
  landingURL: string | null;
  isBasedOn: string[];
  softwareVersion: string | null;
  releaseDate: string | null;
  logo: string | null;
  monochromeLogo: string | null;
  platforms: string[];
  categories: string[];
  usedBy: string[];
  fundedBy: PubliccodeOrganisation[];
  roadmap: string | null;
  developmentStatus: string | null;
  softwareType: string | null;
  /** `supports[].id`: `alias:…` names or URIs of standards and platforms (0.7). */
  supports: string[];
  inputTypes: string[];
  outputTypes: string[];
  intendedAudience: { countries: string[]; unsupportedCountries: string[]; scope: string[] };
  /** Keyed by the BCP 47 tag as written. */
  description: Record<string, PubliccodeDescription>;
  legal: {
    /** Canonical SPDX form when the expression is valid, else as written. */
    license: string | null;
    mainCopyrightOwner: string | null;
    repoOwner: string | null;
    authorsFile: string | null;
  };
  maintenance: { type: string | null; contractors: PubliccodeContractor[]; contacts: PubliccodeContact[] };
  localisation: { localisationReady: boolean | null; availableLanguages: string[] };
  dependsOn: { open: PubliccodeDependency[]; proprietary: PubliccodeDependency[]; hardware: PubliccodeDependency[] };
  /** From `organisation`, else derived from the deprecated `IT.riuso.codiceIPA` (as the reference does). */
  organisation: PubliccodeOrganisation | null;
  /** The Italian section (`IT`, or the deprecated `it`). */
  it: PubliccodeItalianSection | null;
  de: PubliccodeGermanSection | null;
};

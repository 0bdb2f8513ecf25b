import { isSafeLink } from '../../lib/web-url.js';
import { spdxCheck } from './spdx-cache.js';
import type { Dependency, Description, Doc, GermanSection, ItalianSection, Org } from './document.js';
import type { PubliccodeDependency, PubliccodeDescription, PubliccodeModel, PubliccodeOrganisation } from './types.js';

const text = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
const list = (value: string[] | undefined): string[] => (value ?? []).filter((v) => v !== '');
/** A link a page will render as href or src: dropped unless http(s) or a repository path (stored XSS). */
const link = (value: string | undefined): string | null => {
  const kept = text(value);
  return kept !== null && isSafeLink(kept) ? kept : null;
};

/**
 * The normalised content a crawler stores. Built from everything that decoded, so a file with
 * errors still yields its name, descriptions, licence…; country codes are upper-cased and a valid
 * licence expression is given in its canonical SPDX form.
 */
export function buildModel(doc: Doc): PubliccodeModel {
  const it = doc.IT ?? doc.it;
  return {
    publiccodeYmlVersion: text(doc.publiccodeYmlVersion),
    name: text(doc.name),
    applicationSuite: text(doc.applicationSuite),
    url: link(doc.url),
    landingURL: link(doc.landingURL),
    isBasedOn: list(doc.isBasedOn),
    softwareVersion: text(doc.softwareVersion),
    releaseDate: text(doc.releaseDate),
    logo: link(doc.logo),
    monochromeLogo: link(doc.monochromeLogo),
    platforms: list(doc.platforms),
    categories: list(doc.categories),
    usedBy: list(doc.usedBy),
    fundedBy: (doc.fundedBy ?? []).map(organisation),
    roadmap: link(doc.roadmap),
    developmentStatus: text(doc.developmentStatus),
    softwareType: text(doc.softwareType),
    supports: (doc.supports ?? []).map((s) => s.id ?? '').filter((id) => id !== ''),
    inputTypes: list(doc.inputTypes),
    outputTypes: list(doc.outputTypes),
    intendedAudience: {
      countries: list(doc.intendedAudience?.countries).map((c) => c.toUpperCase()),
      unsupportedCountries: list(doc.intendedAudience?.unsupportedCountries).map((c) => c.toUpperCase()),
      scope: list(doc.intendedAudience?.scope),
    },
    description: Object.fromEntries([...(doc.description ?? [])].map(([lang, desc]) => [lang, description(desc)])),
    legal: {
      license: licence(doc.legal?.license),
      mainCopyrightOwner: text(doc.legal?.mainCopyrightOwner),
      repoOwner: text(doc.legal?.repoOwner),
      authorsFile: text(doc.legal?.authorsFile),
    },
    maintenance: {
      type: text(doc.maintenance?.type),
      contractors: (doc.maintenance?.contractors ?? []).map((c) => ({
        name: text(c.name),
        email: text(c.email),
        website: link(c.website),
        until: text(c.until),
      })),
      contacts: (doc.maintenance?.contacts ?? []).map((c) => ({
        name: text(c.name),
        email: text(c.email),
        affiliation: text(c.affiliation),
        phone: text(c.phone),
      })),
    },
    localisation: {
      localisationReady: doc.localisation?.localisationReady ?? null,
      availableLanguages: list(doc.localisation?.availableLanguages),
    },
    dependsOn: {
      open: (doc.dependsOn?.open ?? []).map(dependency),
      proprietary: (doc.dependsOn?.proprietary ?? []).map(dependency),
      hardware: (doc.dependsOn?.hardware ?? []).map(dependency),
    },
    organisation: organisationOf(doc, it),
    it: it === undefined ? null : italian(it),
    de: german(doc.DE ?? doc.de),
  };
}

function licence(value: string | undefined): string | null {
  if (!value) return null;
  const check = spdxCheck(value);
  return check.valid && check.normalised !== null ? check.normalised : value;
}

function organisation(org: Org): PubliccodeOrganisation {
  return { name: text(org.name), uri: text(org.uri) };
}

/** As the reference does: a file with only the deprecated IT.riuso.codiceIPA still names its organisation. */
function organisationOf(doc: Doc, it: ItalianSection | undefined): PubliccodeOrganisation | null {
  if (doc.organisation !== undefined) return organisation(doc.organisation);
  const ipa = it?.riuso?.codiceIPA;
  if (ipa) return { name: text(doc.legal?.repoOwner), uri: `urn:x-italian-pa:${ipa}` };
  return null;
}

function description(desc: Description): PubliccodeDescription {
  return {
    localisedName: text(desc.localisedName),
    genericName: text(desc.genericName),
    shortDescription: text(desc.shortDescription),
    longDescription: text(desc.longDescription),
    documentation: text(desc.documentation),
    apiDocumentation: text(desc.apiDocumentation),
    features: list(desc.features),
    screenshots: list(desc.screenshots),
    videos: list(desc.videos),
    awards: list(desc.awards),
  };
}

function dependency(dep: Dependency): PubliccodeDependency {
  return {
    name: text(dep.name),
    versionMin: text(dep.versionMin),
    versionMax: text(dep.versionMax),
    version: text(dep.version),
    optional: dep.optional ?? null,
  };
}

function italian(it: ItalianSection): PubliccodeModel['it'] {
  const c = it.conforme;
  const p = it.piattaforme;
  return {
    countryExtensionVersion: text(it.countryExtensionVersion),
    conforme:
      c === undefined
        ? null
        : {
            lineeGuidaDesign: c.lineeGuidaDesign ?? null,
            modelloInteroperabilita: c.modelloInteroperabilita ?? null,
            misureMinimeSicurezza: c.misureMinimeSicurezza ?? null,
            gdpr: c.gdpr ?? null,
          },
    riuso: { codiceIPA: text(it.riuso?.codiceIPA) },
    piattaforme: { spid: p?.spid ?? false, pagopa: p?.pagopa ?? false, cie: p?.cie ?? false, anpr: p?.anpr ?? false, io: p?.io ?? false },
  };
}

function german(de: GermanSection | undefined): PubliccodeModel['de'] {
  if (de === undefined) return null;
  return {
    countryExtensionVersion: text(de.countryExtensionVersion),
    leika: (de.leika ?? []).map((e) => ({
      themenfeld: text(e.themenfeld),
      lebenslage: text(e.lebenslage),
      ozgId: text(e['ozg-id']),
      leikaId: text(e['leika-id']),
    })),
  };
}

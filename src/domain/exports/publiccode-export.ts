import type { SoftwareRow } from '../../db/queries/software.queries';
import type { PubliccodeDescription, PubliccodeModel } from '../../metadata/publiccode/index';
import { CATEGORIES, SCOPES } from '../../metadata/publiccode/vocabulary-categories';
import { isWebUrl } from '../../lib/web-url';

/** What the export needs of the publishing organisation. */
export type PublisherFacts = { name: string; website: string | null };

// The standard's bounds (validate-description.ts): a generated long description is padded to them.
const LONG_DESCRIPTION_MIN = 150;
const LONG_DESCRIPTION_MAX = 10_000;
const SHORT_DESCRIPTION_MAX = 150;

type Document = Record<string, unknown>;

const nonEmpty = <T>(list: T[] | undefined | null): T[] | undefined => (list && list.length > 0 ? list : undefined);
/** Links in an exported file must stand on their own: a path relative to the repository means nothing here. */
const absolute = (value: string | null | undefined) => (value && isWebUrl(value) ? value : undefined);
const absoluteList = (list: string[] | undefined) => nonEmpty((list ?? []).filter((v) => isWebUrl(v)));

/**
 * A publiccode.yml for a catalogue entry: the crawled file's model (when the repository has one)
 * with what the hub holds laid over it, since the owner's edits through the API are newer than the
 * last crawl. Fields the standard requires but neither source knows get stated, documented
 * defaults (see below) so that every entry exports a file the hub's own validator accepts.
 */
export function publiccodeDocument(row: SoftwareRow, publisher: PublisherFacts): Document {
  const crawled = (row.publiccode as PubliccodeModel | null) ?? null;
  const languages = descriptionLanguages(row, crawled);
  const categories = row.categories.filter((c) => CATEGORIES.has(c));
  const scope = [...new Set([...(crawled?.intendedAudience.scope ?? []), ...row.categories.filter((c) => SCOPES.has(c))])];
  const document: Document = {
    publiccodeYmlVersion: '0',
    name: row.name,
    applicationSuite: crawled?.applicationSuite ?? undefined,
    url: absolute(row.repositoryUrl) ?? absolute(crawled?.url),
    landingURL: absolute(crawled?.landingURL),
    isBasedOn: absoluteList(crawled?.isBasedOn),
    softwareVersion: row.latestReleaseVersion ?? crawled?.softwareVersion ?? undefined,
    releaseDate: row.latestReleaseAt?.toISOString().slice(0, 10) ?? crawled?.releaseDate ?? undefined,
    logo: absolute(crawled?.logo),
    monochromeLogo: absolute(crawled?.monochromeLogo),
    organisation: crawled?.organisation?.uri ? { uri: crawled.organisation.uri, name: crawled.organisation.name ?? undefined } : undefined,
    fundedBy: nonEmpty(crawled?.fundedBy.filter((f) => f.uri).map((f) => ({ uri: f.uri, name: f.name ?? undefined }))),
    inputTypes: nonEmpty(crawled?.inputTypes),
    outputTypes: nonEmpty(crawled?.outputTypes),
    // Required by the standard; an entry without a file does not say. "web" is what a municipal
    // solution without a publiccode.yml almost always is, and the owner can correct it in the file.
    platforms: nonEmpty(crawled?.platforms) ?? ['web'],
    categories: nonEmpty(categories.length ? categories : crawled?.categories.filter((c) => CATEGORIES.has(c))),
    usedBy: nonEmpty(crawled?.usedBy),
    roadmap: absolute(crawled?.roadmap),
    // Required by the standard. Unknown to the hub: an entry that publishes releases is stated as
    // stable, one without as in development (README, exports), which the owner corrects in the file.
    developmentStatus: row.developmentStatus ?? crawled?.developmentStatus ?? (row.latestReleaseVersion ? 'stable' : 'development'),
    softwareType: crawled?.softwareType ?? 'standalone/other',
    intendedAudience: intendedAudience(crawled, scope),
    description: Object.fromEntries(languages.map((lang) => [lang, description(row, crawled, lang, publisher)])),
    legal: {
      license: licence(row.licence ?? crawled?.legal.license ?? null),
      mainCopyrightOwner: crawled?.legal.mainCopyrightOwner ?? undefined,
      // legal.repoOwner is deprecated (publiccode.yml 0.4: `organisation` names the owner), so the
      // export leaves it out, even when the crawled file still has it: validators warn about it.
    },
    maintenance: maintenance(row, crawled, publisher),
    localisation: {
      localisationReady: crawled?.localisation.localisationReady ?? languages.length > 1,
      availableLanguages: nonEmpty(crawled?.localisation.availableLanguages) ?? languages,
    },
    dependsOn: dependsOn(crawled),
    IT: crawled?.it ? italian(crawled.it) : undefined,
    DE: crawled?.de ? german(crawled.de) : undefined,
  };
  return prune(document) as Document;
}

/**
 * The standard requires a licence. One the hub could not establish is not guessed: SPDX's own
 * NOASSERTION (or NONE) is refused by publiccode.yml validators, so it is stated as the
 * user-defined reference LicenseRef-unknown, which they accept and a reader understands.
 */
function licence(value: string | null): string {
  return value === null || value === 'NOASSERTION' || value === 'NONE' ? 'LicenseRef-unknown' : value;
}

/** German and English from the hub, plus any other language the crawled file describes. */
function descriptionLanguages(row: SoftwareRow, crawled: PubliccodeModel | null): string[] {
  const languages = new Set<string>();
  if (row.shortDescriptionDe || row.longDescriptionDe) languages.add('de');
  if (row.shortDescriptionEn || row.longDescriptionEn) languages.add('en');
  for (const lang of Object.keys(crawled?.description ?? {})) {
    const base = lang.toLowerCase().split('-')[0]!;
    if (base !== 'de' && base !== 'en') languages.add(lang);
  }
  // An entry with no description at all still needs one language: the hub's own, German.
  if (languages.size === 0) languages.add('de');
  return [...languages];
}

function crawledDescription(crawled: PubliccodeModel | null, lang: string): PubliccodeDescription | undefined {
  if (!crawled) return undefined;
  const key = Object.keys(crawled.description).find((k) => k.toLowerCase() === lang) ??
    Object.keys(crawled.description).find((k) => k.toLowerCase().startsWith(`${lang}-`));
  return key ? crawled.description[key] : undefined;
}

function description(row: SoftwareRow, crawled: PubliccodeModel | null, lang: string, publisher: PublisherFacts) {
  const from = crawledDescription(crawled, lang);
  const ours = lang === 'de'
    ? { short: row.shortDescriptionDe, long: row.longDescriptionDe }
    : lang === 'en' ? { short: row.shortDescriptionEn, long: row.longDescriptionEn } : { short: null, long: null };
  const short = truncate(ours.short ?? from?.shortDescription ?? ours.long ?? row.name, SHORT_DESCRIPTION_MAX);
  const long = longDescription(ours.long ?? from?.longDescription ?? short, { row, lang, publisher });
  return {
    localisedName: from?.localisedName ?? undefined,
    genericName: from?.genericName ?? undefined,
    shortDescription: short,
    longDescription: long,
    documentation: absolute(from?.documentation),
    apiDocumentation: absolute(from?.apiDocumentation),
    // Features are required; the hub's own list is language-neutral (one list per entry), so it
    // stands in every language; an entry without any lists its short description as its feature.
    features: nonEmpty(row.features) ?? nonEmpty(from?.features) ?? [short],
    screenshots: absoluteList(from?.screenshots),
    videos: absoluteList(from?.videos),
    awards: nonEmpty(from?.awards),
  };
}

/**
 * The standard wants 150 to 10,000 characters. A shorter text (a one-line registry entry) is
 * completed with sentences built from the catalogue's facts, in the description's language; the
 * owner's own text always comes first.
 */
function longDescription(text: string, facts: { row: SoftwareRow; lang: string; publisher: PublisherFacts }): string {
  if ([...text].length >= LONG_DESCRIPTION_MIN) return truncate(text, LONG_DESCRIPTION_MAX);
  const { row, lang, publisher } = facts;
  const de = lang === 'de';
  const sentences = [
    text.trim().replace(/([^.!?…])$/, '$1.'),
    de ? `${row.name} wird von ${publisher.name} veröffentlicht und ist im Software-Katalog transferhub verzeichnet.`
      : `${row.name} is published by ${publisher.name} and listed in the transferhub software catalogue.`,
    row.licence ? (de ? `Lizenz: ${row.licence}.` : `Licence: ${row.licence}.`) : null,
    row.repositoryUrl ? (de ? `Quellcode: ${row.repositoryUrl}` : `Source code: ${row.repositoryUrl}`) : null,
  ];
  let long = sentences.filter((s) => s !== null).join(' ');
  if ([...long].length < LONG_DESCRIPTION_MIN) {
    long += de ? ' Weitere Angaben pflegt die veröffentlichende Organisation in der publiccode.yml des Repositorys.'
      : ' The publishing organisation maintains further details in the repository’s publiccode.yml.';
  }
  return long;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 2).join('').replace(/\s+\S*$/, '')} …`;
}

function intendedAudience(crawled: PubliccodeModel | null, scope: string[]) {
  const audience = crawled?.intendedAudience;
  return {
    countries: nonEmpty(audience?.countries.map((c) => c.toLowerCase())),
    unsupportedCountries: nonEmpty(audience?.unsupportedCountries.map((c) => c.toLowerCase())),
    scope: nonEmpty(scope),
  };
}

/**
 * The hub's maintenance type wins over the file's. "internal" and "community" need a contact and
 * "contract" a contractor: the crawled ones when there are, else the publisher as the contact.
 * Without any statement the entry says "none", the standard's value for "no one has promised".
 */
function maintenance(row: SoftwareRow, crawled: PubliccodeModel | null, publisher: PublisherFacts) {
  const type = row.maintenanceType ?? crawled?.maintenance.type ?? 'none';
  const contacts = (crawled?.maintenance.contacts ?? []).filter((c) => c.name);
  const contractors = (crawled?.maintenance.contractors ?? []).filter((c) => c.name && c.until);
  if (type === 'contract' && contractors.length === 0) return { type: 'none' };
  return {
    type,
    contractors: type === 'contract'
      ? contractors.map((c) => ({ name: c.name, until: c.until, email: c.email ?? undefined, website: absolute(c.website) }))
      : undefined,
    contacts: type === 'internal' || type === 'community'
      ? (contacts.length
        ? contacts.map((c) => ({ name: c.name, email: c.email ?? undefined, phone: c.phone ?? undefined, affiliation: c.affiliation ?? undefined }))
        : [{ name: publisher.name }])
      : undefined,
  };
}

function dependsOn(crawled: PubliccodeModel | null) {
  if (!crawled) return undefined;
  const list = (deps: PubliccodeModel['dependsOn']['open']) =>
    nonEmpty(deps.filter((d) => d.name).map((d) => ({
      name: d.name,
      versionMin: d.versionMin ?? undefined,
      versionMax: d.versionMax ?? undefined,
      version: d.version ?? undefined,
      optional: d.optional ?? undefined,
    })));
  return { open: list(crawled.dependsOn.open), proprietary: list(crawled.dependsOn.proprietary), hardware: list(crawled.dependsOn.hardware) };
}

function italian(it: NonNullable<PubliccodeModel['it']>) {
  return {
    countryExtensionVersion: it.countryExtensionVersion ?? undefined,
    conforme: it.conforme ?? undefined,
    riuso: it.riuso.codiceIPA ? { codiceIPA: it.riuso.codiceIPA } : undefined,
    piattaforme: it.piattaforme,
  };
}

function german(de: NonNullable<PubliccodeModel['de']>) {
  return {
    countryExtensionVersion: de.countryExtensionVersion ?? undefined,
    leika: nonEmpty(de.leika.map((e) => ({ themenfeld: e.themenfeld ?? undefined, lebenslage: e.lebenslage ?? undefined, 'ozg-id': e.ozgId ?? undefined, 'leika-id': e.leikaId ?? undefined }))),
  };
}

/** Drops undefined, null and emptied objects, so the YAML has no `key: null` lines the standard would reject. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, prune(v)] as const)
    .filter(([, v]) => v !== undefined && v !== null && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
  return entries.length ? Object.fromEntries(entries) : undefined;
}

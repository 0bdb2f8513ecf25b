import { DataFactory, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import type { CatalogueRow } from '../../db/queries/exports.queries';
import { isKnownLicenseId } from '../../metadata/spdx/spdx-ids';
import { licenceTermsOf, parseSpdxExpression } from '../../metadata/spdx/spdx-expression';
import { publicBase } from '../../lib/public-url';
import { DATA_THEME_SCHEME, DATA_THEMES, dataThemeIri, dataThemes } from './data-themes';

const { namedNode, literal, blankNode, quad } = DataFactory;

export const PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  schema: 'http://schema.org/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

type Prefix = keyof typeof PREFIXES;
const term = (prefix: Prefix, local: string) => namedNode(PREFIXES[prefix] + local);
const a = term('rdf', 'type');
const dateTime = (date: Date) => literal(date.toISOString(), term('xsd', 'dateTime'));
const LANGUAGE_AUTHORITY = 'http://publications.europa.eu/resource/authority/language/';
const LANGUAGES = { de: { code: 'DEU', label: 'Deutsch' }, en: { code: 'ENG', label: 'English' } } as const;

/**
 * Where the graph's nodes live. Under HUB_PUBLIC_URL they are the hub's own URLs, which resolve;
 * without one the hub has no name, and RDF needs absolute IRIs, so entries are named by their
 * UUIDs (urn:uuid:…), which stay the same whatever address the hub is later given a name.
 */
export class CatalogueIris {
  constructor(private readonly publicUrl: string | null) {}
  private at(path: string, id: string) {
    return this.publicUrl ? `${publicBase(this.publicUrl)}${path}` : `urn:uuid:${id}`;
  }
  catalog() {
    return namedNode(this.publicUrl ? `${publicBase(this.publicUrl)}/v1/catalog` : 'urn:transferhub:catalog');
  }
  software(id: string) {
    return namedNode(this.at(`/v1/software/${id}`, id));
  }
  record(id: string) {
    return namedNode(`${this.at(`/v1/software/${id}`, id)}#record`);
  }
  organisation(id: string) {
    return namedNode(this.at(`/v1/organisations/${id}`, id));
  }
}

/** The catalogue itself: DCAT-AP requires its title, description and publisher (the hub as an agent). */
export function catalogQuads(iris: CatalogueIris, modified: Date | null): Quad[] {
  const catalog = iris.catalog();
  const hub = blankNode('hub');
  const scheme = namedNode(DATA_THEME_SCHEME);
  const quads = [
    quad(catalog, a, term('dcat', 'Catalog')),
    quad(catalog, term('dct', 'title'), literal('transferhub: Open-Source-Software der Kommunen', 'de')),
    quad(catalog, term('dct', 'title'), literal('transferhub: open-source software of municipalities', 'en')),
    quad(catalog, term('dct', 'description'), literal('Register der Open-Source-Software deutscher Kommunen (Modellprojekte Smart Cities): Software, Herausgeber, Lizenzen, Releases und Nachnutzung.', 'de')),
    quad(catalog, term('dct', 'description'), literal('Registry of open-source software of German municipalities (Modellprojekte Smart Cities): software, publishers, licences, releases and reuse.', 'en')),
    quad(catalog, term('dct', 'publisher'), hub),
    quad(hub, a, term('foaf', 'Agent')),
    quad(hub, term('foaf', 'name'), literal('transferhub')),
    quad(catalog, term('dcat', 'themeTaxonomy'), scheme),
    quad(scheme, a, term('skos', 'ConceptScheme')),
    quad(scheme, term('dct', 'title'), literal('Data theme', 'en')),
    quad(scheme, term('dct', 'title'), literal('Datenthema', 'de')),
  ];
  if (modified) quads.push(quad(catalog, term('dct', 'modified'), dateTime(modified)));
  return quads;
}

/**
 * ckanext-dcat's paging description of a page of the catalogue (hydra:PagedCollection with page
 * URLs as literals, which harvesters such as the European Data Portal follow).
 */
export function pagingQuads(paging: { self: string; first: string; last: string; next: string | null; previous: string | null; total: number; perPage: number }): Quad[] {
  const page = blankNode('page');
  const quads = [
    quad(page, a, term('hydra', 'PagedCollection')),
    quad(page, term('hydra', 'totalItems'), literal(String(paging.total), term('xsd', 'integer'))),
    quad(page, term('hydra', 'itemsPerPage'), literal(String(paging.perPage), term('xsd', 'integer'))),
    quad(page, term('hydra', 'firstPage'), literal(paging.first)),
    quad(page, term('hydra', 'lastPage'), literal(paging.last)),
  ];
  if (paging.next) quads.push(quad(page, term('hydra', 'nextPage'), literal(paging.next)));
  if (paging.previous) quads.push(quad(page, term('hydra', 'previousPage'), literal(paging.previous)));
  return quads;
}

/**
 * The quads of a page of entries: per entry a dcat:Resource (also schema:SoftwareSourceCode) and
 * the dcat:CatalogRecord describing it; publishers, licences, languages and themes once per page
 * (repeating a triple across pages is harmless: RDF graphs are sets).
 */
export function pageQuads(iris: CatalogueIris, rows: CatalogueRow[]): Quad[] {
  const quads: Quad[] = [];
  const described = new Set<string>();
  const once = (key: string, make: () => Quad[]) => {
    if (described.has(key)) return;
    described.add(key);
    quads.push(...make());
  };
  const catalog = iris.catalog();
  for (const { software: row, publisher } of rows) {
    const resource = iris.software(row.id);
    const record = iris.record(row.id);
    const agent = iris.organisation(publisher.id);
    quads.push(
      quad(catalog, term('dcat', 'record'), record),
      quad(catalog, term('dcat', 'resource'), resource),
      quad(record, a, term('dcat', 'CatalogRecord')),
      quad(record, term('foaf', 'primaryTopic'), resource),
      quad(record, term('dct', 'issued'), dateTime(row.createdAt)),
      quad(record, term('dct', 'modified'), dateTime(row.updatedAt)),
      quad(resource, a, term('dcat', 'Resource')),
      quad(resource, a, term('schema', 'SoftwareSourceCode')),
      quad(resource, term('dct', 'identifier'), literal(row.id)),
      quad(resource, term('dct', 'title'), literal(row.name)),
      quad(resource, term('dct', 'issued'), dateTime(row.createdAt)),
      quad(resource, term('dct', 'modified'), dateTime(row.updatedAt)),
      quad(resource, term('dct', 'publisher'), agent),
    );
    once(`agent ${publisher.id}`, () => agentQuads(agent, publisher));
    for (const [lang, text] of [['de', row.shortDescriptionDe ?? row.longDescriptionDe], ['en', row.shortDescriptionEn ?? row.longDescriptionEn]] as const) {
      if (!text) continue;
      const language = namedNode(LANGUAGE_AUTHORITY + LANGUAGES[lang].code);
      quads.push(quad(resource, term('dct', 'description'), literal(text, lang)), quad(resource, term('dct', 'language'), language));
      once(`language ${lang}`, () => [quad(language, a, term('dct', 'LinguisticSystem')), quad(language, term('rdfs', 'label'), literal(LANGUAGES[lang].label, lang))]);
    }
    if (row.licence) {
      const { node, quads: licenceQuads } = licenceNode(row.id, row.licence);
      quads.push(quad(resource, term('dct', 'license'), node));
      once(`licence ${node.value}`, () => licenceQuads);
    }
    const scope = Array.isArray(row.scope) ? row.scope : [];
    for (const theme of dataThemes([...row.categories, ...scope])) {
      const concept = namedNode(dataThemeIri(theme));
      quads.push(quad(resource, term('dcat', 'theme'), concept));
      once(`theme ${theme}`, () => [
        quad(concept, a, term('skos', 'Concept')),
        quad(concept, term('skos', 'inScheme'), namedNode(DATA_THEME_SCHEME)),
        quad(concept, term('skos', 'prefLabel'), literal(DATA_THEMES[theme].de, 'de')),
        quad(concept, term('skos', 'prefLabel'), literal(DATA_THEMES[theme].en, 'en')),
      ]);
    }
    for (const keyword of row.categories) quads.push(quad(resource, term('dcat', 'keyword'), literal(keyword)));
    if (row.repositoryUrl) quads.push(quad(resource, term('schema', 'codeRepository'), namedNode(row.repositoryUrl)));
    if (row.latestReleaseVersion) quads.push(quad(resource, term('dcat', 'version'), literal(row.latestReleaseVersion)));
    if (row.developmentStatus) quads.push(quad(resource, term('schema', 'creativeWorkStatus'), literal(row.developmentStatus)));
  }
  return quads;
}

function agentQuads(agent: Quad_Subject, publisher: CatalogueRow['publisher']): Quad[] {
  const quads = [quad(agent, a, term('foaf', 'Agent')), quad(agent, term('foaf', 'name'), literal(publisher.name))];
  if (publisher.website) quads.push(quad(agent, term('foaf', 'homepage'), namedNode(publisher.website)));
  return quads;
}

/**
 * A licence as a dct:LicenseDocument. A single SPDX-listed id is the SPDX licence URI itself; an
 * expression (`MIT OR Apache-2.0`, `GPL-2.0-or-later WITH …`) or a LicenseRef is a document of its
 * own, labelled with the expression and pointing at the listed licences it names.
 */
function licenceNode(softwareId: string, expression: string): { node: Quad_Object & Quad_Subject; quads: Quad[] } {
  const spdx = (id: string) => namedNode(`http://spdx.org/licenses/${id}`);
  if (isKnownLicenseId(expression)) {
    const node = spdx(expression);
    return { node, quads: [quad(node, a, term('dct', 'LicenseDocument')), quad(node, term('rdfs', 'label'), literal(expression))] };
  }
  const node = blankNode(`licence-${softwareId}`);
  const quads = [quad(node, a, term('dct', 'LicenseDocument')), quad(node, term('rdfs', 'label'), literal(expression))];
  const tree = parseSpdxExpression(expression);
  for (const id of tree ? licenceTermsOf(tree) : []) {
    if (isKnownLicenseId(id)) quads.push(quad(node, term('rdfs', 'seeAlso'), spdx(id)));
  }
  return { node, quads };
}

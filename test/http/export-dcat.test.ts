import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { DataFactory, Parser, Store, type Quad, type Term } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../helpers/conformance';
import { bearer, createTestHub, type TestHub } from '../helpers/hub';
import { loadDemo } from './export-fixtures';
import { publisherWithSoftware } from './fixtures';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const parseTurtle = (text: string) => new Store(new Parser({ format: 'text/turtle' }).parse(text));
async function parseJsonLd(text: string) {
  const nquads = (await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' })) as unknown as string;
  return new Store(new Parser({ format: 'application/n-quads' }).parse(nquads));
}
const subjectsOfType = (store: Store, type: string) => store.getSubjects(RDF_TYPE, type, null).map((s) => s.value);
const objectOf = (store: Store, subject: string | Term, predicate: string) => store.getObjects(subject, predicate, null)[0]?.value;
const pagingNode = (store: Store) => store.getSubjects(RDF_TYPE, `${HYDRA}PagedCollection`, null)[0]!;

describeCorpus('the DCAT-AP 3 catalogue export', 'dcat-ap/dcat-ap-3.0.1-SHACL.ttl', (conformance) => {
  let hub: TestHub;
  let validator: SHACLValidator;
  let extra: { id: string };

  beforeAll(async () => {
    // The official shapes and their range constraints, as one shapes graph.
    const shapes = new Store();
    for (const file of ['dcat-ap-3.0.1-SHACL.ttl', 'dcat-ap-3.0.1-ranges.ttl']) {
      shapes.addQuads(new Parser({ format: 'text/turtle' }).parse(readFileSync(join(conformance, 'dcat-ap', file), 'utf8')) as Quad[]);
    }
    validator = new SHACLValidator(shapes);
    hub = await createTestHub();
    await loadDemo(hub);
    // One entry with what the demo lacks: themes, an English text, a licence expression, a release.
    const { software, token } = await publisherWithSoftware(hub.app, {
      name: 'Verkehrsdaten-Plattform',
      shortDescription: { de: 'Verkehrsdaten der Stadt', en: 'Traffic data of the city' },
      categories: ['mobilitaet', 'daten-plattformen', 'data-visualization'],
      licence: 'MIT OR Apache-2.0',
      repositoryUrl: 'https://git.example.org/stadt/verkehrsdaten',
    });
    const release = await hub.app.inject({ method: 'POST', url: `/v1/software/${software.id}/releases`, headers: bearer(token), payload: { version: '1.2.0' } });
    expect(release.statusCode, release.body).toBe(201);
    extra = software;
  }, 120_000);
  afterAll(async () => hub?.close());

  async function conformsToDcatAp(store: Store) {
    const report = await validator.validate(store);
    return report.results.map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join('; ')}`);
  }

  it('the whole catalogue as Turtle has zero violations of the official DCAT-AP 3.0.1 SHACL shapes', async () => {
    const response = await hub.app.inject('/v1/catalog.ttl');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/turtle; charset=utf-8');
    const store = parseTurtle(response.body);
    expect(await conformsToDcatAp(store)).toEqual([]);
    expect(subjectsOfType(store, `${DCAT}Resource`)).toHaveLength(39);
    expect(subjectsOfType(store, `${DCAT}CatalogRecord`)).toHaveLength(39);
  });

  it('the whole catalogue as JSON-LD has zero violations too and holds the same entries', async () => {
    const response = await hub.app.inject('/v1/catalog.jsonld');
    expect(response.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    const store = await parseJsonLd(response.body);
    expect(await conformsToDcatAp(store)).toEqual([]);
    const turtle = parseTurtle((await hub.app.inject('/v1/catalog.ttl')).body);
    expect(subjectsOfType(store, `${DCAT}Resource`).sort()).toEqual(subjectsOfType(turtle, `${DCAT}Resource`).sort());
  });

  it('describes an entry as dcat:Resource and schema:SoftwareSourceCode with its record, publisher, SPDX licences, languages and EU data themes', async () => {
    const store = parseTurtle((await hub.app.inject('/v1/catalog.ttl')).body);
    const resource = `urn:uuid:${extra.id}`;
    expect(store.getObjects(resource, RDF_TYPE, null).map((t) => t.value)).toEqual(expect.arrayContaining([`${DCAT}Resource`, 'http://schema.org/SoftwareSourceCode']));
    const record = store.getSubjects('http://xmlns.com/foaf/0.1/primaryTopic', resource, null)[0]!.value;
    expect(objectOf(store, record, `${DCT}modified`)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const publisher = objectOf(store, resource, `${DCT}publisher`)!;
    expect(store.has(DataFactory.quad(DataFactory.namedNode(publisher), DataFactory.namedNode(RDF_TYPE), DataFactory.namedNode('http://xmlns.com/foaf/0.1/Agent')))).toBe(true);
    const licence = store.getObjects(resource, `${DCT}license`, null)[0]!;
    expect(store.getObjects(licence, 'http://www.w3.org/2000/01/rdf-schema#seeAlso', null).map((t) => t.value).sort()).toEqual(['http://spdx.org/licenses/Apache-2.0', 'http://spdx.org/licenses/MIT']);
    expect(store.getObjects(resource, `${DCT}language`, null).map((t) => t.value).sort()).toEqual([
      'http://publications.europa.eu/resource/authority/language/DEU',
      'http://publications.europa.eu/resource/authority/language/ENG',
    ]);
    expect(store.getObjects(resource, `${DCAT}theme`, null).map((t) => t.value).sort()).toEqual([
      'http://publications.europa.eu/resource/authority/data-theme/TECH',
      'http://publications.europa.eu/resource/authority/data-theme/TRAN',
    ]);
    expect(objectOf(store, resource, `${DCAT}version`)).toBe('1.2.0');
    // A single listed licence is the SPDX URI itself.
    const demo = store.getObjects(null, `${DCT}license`, null).map((t) => t.value);
    expect(demo).toContain('http://spdx.org/licenses/EUPL-1.2');
  });

  it('the shapes do catch a defect: an agent without foaf:name and a record without dct:modified are violations', async () => {
    const store = parseTurtle((await hub.app.inject('/v1/catalog.ttl?limit=1')).body);
    const agent = store.getObjects(null, `${DCT}publisher`, null).find((t) => t.termType === 'NamedNode')!;
    store.removeQuads(store.getQuads(agent, 'http://xmlns.com/foaf/0.1/name', null, null));
    const record = store.getSubjects(RDF_TYPE, `${DCAT}CatalogRecord`, null)[0]!;
    store.removeQuads(store.getQuads(record, `${DCT}modified`, null, null));
    const violations = await conformsToDcatAp(store);
    expect(violations.some((v) => v.includes('foaf/0.1/name'))).toBe(true);
    expect(violations.some((v) => v.includes(`${DCT}modified`))).toBe(true);
  });

  it('pages like ckanext-dcat: hydra paging with total, next and last, Link headers, and every entry once across the pages', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/v1/catalog.ttl?limit=10&page=1';
    let pages = 0;
    while (url) {
      const response = await hub.app.inject(url);
      expect(response.statusCode).toBe(200);
      const store = parseTurtle(response.body);
      expect(await conformsToDcatAp(store)).toEqual([]);
      const page = pagingNode(store);
      expect(objectOf(store, page, `${HYDRA}totalItems`)).toBe('39');
      expect(objectOf(store, page, `${HYDRA}lastPage`)).toBe('/v1/catalog.ttl?limit=10&page=4');
      seen.push(...subjectsOfType(store, `${DCAT}Resource`));
      url = objectOf(store, page, `${HYDRA}nextPage`);
      if (url) expect(response.headers.link).toContain(`<${url}>; rel="next"`);
      pages++;
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(39);
  });

  it('modified_since keeps only entries changed at or after the time', async () => {
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const none = await parseJsonLd((await hub.app.inject(`/v1/catalog.jsonld?modified_since=${future}`)).body);
    expect(subjectsOfType(none, `${DCAT}Resource`)).toEqual([]);
    const since = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const all = parseTurtle((await hub.app.inject(`/v1/catalog.ttl?modified_since=${since}&limit=5`)).body);
    expect(objectOf(all, pagingNode(all), `${HYDRA}totalItems`)).toBe('39');
    expect((await hub.app.inject('/v1/catalog.ttl?modified_since=yesterday')).statusCode).toBe(400);
  });
});

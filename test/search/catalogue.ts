import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/client';
import { insertReuse } from '../../src/db/queries/reuses.queries';
import { updateSoftware } from '../../src/db/queries/software.queries';
import { admin, bearer } from '../helpers/hub';

/**
 * A fixed catalogue for the relevance suite: real kinds of municipal software, German and
 * English texts. Organisations and entries go through the public API; what the crawler
 * records (README, features, maintenance, publiccode.yml validity, releases) and reuse records
 * are written with the query functions the crawler and the reuse service use.
 */
type Org = { key: string; name: string; kind: string; state?: string; cohortYear?: number };
type Entry = {
  slug: string;
  name: string;
  org: string;
  de?: string;
  en?: string;
  longDe?: string;
  longEn?: string;
  categories?: string[];
  features?: string[];
  licence?: string;
  status?: string;
  readme?: string;
  /** confirmed: the producer confirmed them (reuse verification). */
  reuses?: { status: string; count: number; confirmed?: boolean };
  signals?: { maintenance?: string; publiccodeValid?: boolean; releasedDaysAgo?: number };
  /** Transfer-package kinds the owner declares (links). */
  transfer?: string[];
  /** An experience report by the first reusing organisation: what worked. */
  report?: string;
  active?: boolean;
};

const ORGS: Org[] = [
  { key: 'solingen', name: 'Stadt Solingen', kind: 'municipality', state: 'Nordrhein-Westfalen', cohortYear: 2019 },
  { key: 'ulm', name: 'Stadt Ulm', kind: 'municipality', state: 'Baden-Württemberg', cohortYear: 2019 },
  { key: 'kiel', name: 'Landeshauptstadt Kiel', kind: 'municipality', state: 'Schleswig-Holstein', cohortYear: 2020 },
  { key: 'wolfsburg', name: 'Stadt Wolfsburg', kind: 'municipality', state: 'Niedersachsen', cohortYear: 2019 },
  { key: 'hamburg', name: 'Freie und Hansestadt Hamburg', kind: 'state', state: 'Hamburg', cohortYear: 2020 },
  { key: 'muenchen', name: 'Landeshauptstadt München', kind: 'municipality', state: 'Bayern', cohortYear: 2020 },
  { key: 'berlin', name: 'Land Berlin', kind: 'state', state: 'Berlin', cohortYear: 2020 },
  { key: 'muenster', name: 'Stadt Münster', kind: 'municipality', state: 'Nordrhein-Westfalen', cohortYear: 2021 },
  { key: 'jena', name: 'Stadt Jena', kind: 'municipality', state: 'Thüringen', cohortYear: 2020 },
  { key: 'belzig', name: 'Stadt Bad Belzig', kind: 'municipality', state: 'Brandenburg', cohortYear: 2019 },
  { key: 'suederbrarup', name: 'Amt Süderbrarup', kind: 'municipal_association', state: 'Schleswig-Holstein', cohortYear: 2020 },
  { key: 'kaiserslautern', name: 'Stadt Kaiserslautern', kind: 'municipality', state: 'Rheinland-Pfalz', cohortYear: 2020 },
  { key: 'wunsiedel', name: 'Landkreis Wunsiedel im Fichtelgebirge', kind: 'county', state: 'Bayern', cohortYear: 2021 },
  { key: 'fraunhofer', name: 'Fraunhofer IOSB', kind: 'other' },
  { key: 'eccdigital', name: 'ECC Digital GmbH', kind: 'company' },
  { key: 'herrenberg', name: 'Stadt Herrenberg', kind: 'municipality', state: 'Baden-Württemberg' },
];

export const ENTRIES: Entry[] = [
  { slug: 'maengelmelder', name: 'Mängelmelder', org: 'solingen', de: 'Bürgerinnen und Bürger melden Schäden im Stadtgebiet per App mit Foto und Standort.', en: 'Citizens report damage in public spaces with photo and location.', categories: ['verwaltung', 'beteiligung'], features: ['Foto-Upload', 'Kartenansicht', 'Statusverfolgung'], licence: 'EUPL-1.2', status: 'stable', reuses: { status: 'production', count: 4 }, signals: { maintenance: 'internal', publiccodeValid: true, releasedDaysAgo: 40 } },
  { slug: 'schlaglochmelder', name: 'Schlaglochmelder', org: 'kiel', de: 'Straßenschäden und Schlaglöcher schnell an das Tiefbauamt melden.', categories: ['verwaltung'], licence: 'MIT', status: 'beta' },
  { slug: 'alter-maengelmelder', name: 'Alter Mängelmelder', org: 'wolfsburg', de: 'Vorgänger des Mängelmelders, abgelöst.', categories: ['verwaltung'], active: false },
  { slug: 'parkraum-sensorik', name: 'Parkraum-Sensorik', org: 'ulm', de: 'Freie Parkplätze per Sensor erkennen und in Echtzeit anzeigen.', en: 'Parking sensors detect free parking spaces in real time.', longDe: 'Bodensensoren melden über LoRaWAN, ob ein Stellplatz belegt ist; das senkt den Parksuchverkehr und dient der Verkehrsberuhigung.', categories: ['mobilitaet'], features: ['LoRaWAN', 'Echtzeit', 'Open Data'], licence: 'EUPL-1.2', status: 'stable' },
  { slug: 'parkleitsystem', name: 'Parkleitsystem Innenstadt', org: 'wolfsburg', de: 'Dynamische Anzeige freier Plätze in Parkhäusern: Parken in der Innenstadt ohne Suchverkehr.', categories: ['mobilitaet'], licence: 'GPL-3.0-only', status: 'stable' },
  { slug: 'dipas', name: 'DIPAS – Digitales Partizipationssystem', org: 'hamburg', de: 'Online-Bürgerbeteiligung für die Stadtplanung mit digitalen Planungstischen.', en: 'Online public participation for urban planning with digital planning tables.', categories: ['beteiligung', 'stadtentwicklung'], licence: 'EUPL-1.2', status: 'stable', reuses: { status: 'production', count: 3 } },
  { slug: 'consul', name: 'CONSUL Bürgerbeteiligung', org: 'muenchen', de: 'Plattform für Bürgerhaushalte, Vorschläge und Abstimmungen.', en: 'Citizen participation platform for participatory budgeting, proposals and votes.', categories: ['beteiligung'], licence: 'AGPL-3.0-or-later', status: 'stable', reuses: { status: 'piloting', count: 2 } },
  { slug: 'abfallkalender', name: 'Abfallkalender App', org: 'wunsiedel', de: 'Abholtermine der Müllabfuhr mit Erinnerung aufs Smartphone.', en: 'Waste collection calendar with reminders on your phone.', categories: ['verwaltung', 'umwelt-klima'], licence: 'MIT', status: 'stable' },
  { slug: 'smart-waste-routing', name: 'Smart Waste Routing', org: 'eccdigital', en: 'Optimised routes for waste collection vehicles using fill level sensors in containers.', categories: ['umwelt-klima'], licence: 'Apache-2.0', status: 'beta' },
  { slug: 'giess-den-kiez', name: 'Gieß den Kiez', org: 'berlin', de: 'Bürgerinnen und Bürger gießen Stadtbäume und koordinieren sich über eine Karte.', en: 'Volunteers water street trees and coordinate on a map.', categories: ['umwelt-klima', 'beteiligung'], licence: 'MIT', status: 'stable', readme: '# Gieß den Kiez\n\nDaten aus dem Baumkataster zeigen, welche Bäume bei Trockenheit Wasser brauchen.' },
  { slug: 'klimadashboard-muenster', name: 'Klimadashboard Münster', org: 'muenster', de: 'CO2-Emissionen und Klimadaten der Stadt als Dashboard.', en: 'Emissions and climate data of the city as a dashboard.', categories: ['umwelt-klima', 'daten-plattformen'], licence: 'MIT', status: 'stable' },
  { slug: 'frost-server', name: 'FROST-Server', org: 'fraunhofer', en: 'Server implementing the OGC SensorThings API for IoT sensor data.', categories: ['daten-plattformen'], licence: 'LGPL-3.0-or-later', status: 'stable' },
  { slug: 'urbane-datenplattform-jena', name: 'Urbane Datenplattform Jena', org: 'jena', de: 'Offene Datenplattform für Sensordaten und Open Data der Stadt.', categories: ['daten-plattformen'], licence: 'EUPL-1.2', status: 'development' },
  { slug: 'masterportal', name: 'Masterportal', org: 'hamburg', de: 'Geoportal-Baukasten für Karten und Geodaten.', en: 'Toolkit for web map portals (GIS).', categories: ['daten-plattformen', 'stadtentwicklung'], licence: 'MIT', status: 'stable' },
  { slug: 'smart-village-app', name: 'Smart Village App', org: 'belzig', de: 'Modulare Dorf- und Stadt-App mit Nachrichten, Veranstaltungen und Umfragen.', en: 'Modular app for villages and towns with news, events and surveys.', categories: ['verwaltung', 'beteiligung', 'kultur-tourismus'], licence: 'GPL-3.0-or-later', status: 'stable', reuses: { status: 'production', count: 6 } },
  { slug: 'open-smartcity-app', name: 'Open SmartCity App', org: 'solingen', de: 'Stadt-App mit Modulen für Abfall, Mängelmelder, ÖPNV und Veranstaltungen.', categories: ['verwaltung'], licence: 'MIT', status: 'stable' },
  { slug: 'gemeinschaftskalender', name: 'Der Smarte Gemeinschaftskalender', org: 'suederbrarup', de: 'Veranstaltungskalender für Vereine und Ehrenamt im ländlichen Raum.', categories: ['beteiligung'], licence: 'EUPL-1.2', status: 'beta' },
  { slug: 'smart-city-booking', name: 'Smart City Booking', org: 'eccdigital', de: 'Raumbuchung: Online-Buchung von Räumen und Ressourcen der Verwaltung.', en: 'Booking of rooms and resources of the administration.', categories: ['verwaltung'], licence: 'MIT', status: 'stable' },
  { slug: 'vima', name: 'ViMA – Virtueller Marktplatz', org: 'ulm', de: 'Digitaler Marktplatz für Ehrenamt und Nachbarschaftshilfe.', categories: ['beteiligung'], licence: 'EUPL-1.2', status: 'beta' },
  { slug: 'stadtnavi', name: 'stadtnavi', org: 'herrenberg', de: 'Mobilitätsplattform: ÖPNV, Sharing und Radrouting in einer App.', en: 'Multimodal journey planner.', categories: ['mobilitaet'], licence: 'EUPL-1.2', status: 'stable', readme: '# stadtnavi\n\nRouting für Fuß, Rad und Bus. Routen können barrierefrei geplant werden (wheelchair accessible).' },
  { slug: 'gbfsmap', name: 'gbfsmap', org: 'herrenberg', en: 'Map of bike sharing stations from GBFS feeds.', categories: ['mobilitaet'], licence: 'MIT', status: 'beta' },
  { slug: 'lautrer-wissen', name: 'Lautrer Wissen', org: 'kaiserslautern', de: 'Digitaler Zwilling und Datenplattform der Stadt Kaiserslautern.', categories: ['daten-plattformen'], licence: 'AGPL-3.0-or-later', status: 'development' },
  { slug: 'luftqualitaet-sensoren', name: 'Luftqualität Sensoren', org: 'ulm', de: 'Feinstaub- und Stickoxid-Messnetz mit LoRaWAN-Sensoren.', en: 'Air quality sensor network.', categories: ['umwelt-klima'], licence: 'MIT', status: 'stable' },
  { slug: 'hochwasser-fruehwarnsystem', name: 'Hochwasser-Frühwarnsystem', org: 'wunsiedel', de: 'Pegelstände messen und bei Hochwasser rechtzeitig warnen.', en: 'Flood early warning with water level sensors.', categories: ['sicherheit-resilienz'], licence: 'EUPL-1.2', status: 'beta' },
  { slug: 'digitale-schulanmeldung', name: 'Digitale Schulanmeldung', org: 'muenster', de: 'Online-Anmeldung an weiterführenden Schulen.', categories: ['bildung', 'verwaltung'], licence: 'EUPL-1.2', status: 'beta' },
  { slug: 'ratsinformationssystem', name: 'Ratsinformationssystem', org: 'jena', de: 'Sitzungen, Vorlagen und Beschlüsse des Stadtrats veröffentlichen.', en: 'Council information system.', categories: ['verwaltung'], licence: 'GPL-3.0-only', status: 'stable', reuses: { status: 'production', count: 1 }, report: 'Der Betrieb beim IT-Dienstleister unseres Zweckverbands war nach zwei Wochen eingerichtet.' },
  { slug: 'terminvergabe-buergerbuero', name: 'Terminvergabe Bürgerbüro', org: 'kiel', de: 'Online-Termine für Bürgeramt und Zulassungsstelle buchen.', en: 'Appointment booking for citizen offices.', categories: ['verwaltung'], licence: 'EUPL-1.2', status: 'stable' },
  { slug: 'energiemonitor', name: 'Energiemonitor', org: 'wolfsburg', de: 'Stromverbrauch und Photovoltaik-Erzeugung kommunaler Gebäude überwachen.', en: 'Energy monitoring of municipal buildings.', categories: ['energie'], licence: 'MIT', status: 'stable' },
  { slug: 'ladesaeulenfinder', name: 'Ladesäulenfinder', org: 'muenchen', de: 'Freie Ladesäulen für Elektroautos finden.', en: 'Find free EV charging stations.', categories: ['mobilitaet', 'energie'], licence: 'MIT', status: 'beta' },
  { slug: 'stadtrundgang-app', name: 'Stadtrundgang App', org: 'kaiserslautern', de: 'Digitale Stadtführungen mit Audioguide für Gäste.', en: 'Digital city tours with audio guide for visitors.', categories: ['kultur-tourismus'], licence: 'MIT', status: 'stable' },
  { slug: 'leerstandsmanagement', name: 'Leerstandsmanagement Innenstadt', org: 'wolfsburg', de: 'Leerstehende Ladenlokale erfassen und an Gründer vermitteln.', en: 'Vacant retail space management.', categories: ['wirtschaft-handel'], licence: 'EUPL-1.2', status: 'development' },
  { slug: 'pflegeplatzboerse', name: 'Pflegeplatzbörse', org: 'wunsiedel', de: 'Freie Pflegeplätze in der Region finden.', en: 'Find available care places in the region.', categories: ['gesundheit-soziales'], licence: 'EUPL-1.2', status: 'stable' },
  { slug: 'ozg-antragsportal', name: 'Antragsportal', org: 'jena', de: 'Onlinedienste nach dem Onlinezugangsgesetz: Anträge digital stellen und verfolgen.', categories: ['verwaltung'], licence: 'EUPL-1.2', status: 'stable' },
  { slug: 'e-akte', name: 'E-Akte Kommunal', org: 'kiel', de: 'Dokumentenmanagement und elektronische Akte für Ämter.', en: 'Document management system for municipal offices.', categories: ['verwaltung'], licence: 'GPL-3.0-or-later', status: 'beta' },
  // Two entries with the same text: signals (reuse, release, publiccode.yml, maintenance) decide.
  { slug: 'baustellenkalender-a', name: 'Baustellenkalender', org: 'kiel', de: 'Baustellen im Stadtgebiet auf einer Karte.', categories: ['mobilitaet'], licence: 'MIT', status: 'stable', reuses: { status: 'production', count: 3 }, signals: { maintenance: 'contract', publiccodeValid: true, releasedDaysAgo: 30 } },
  { slug: 'baustellenkalender-b', name: 'Baustellenkalender', org: 'ulm', de: 'Baustellen im Stadtgebiet auf einer Karte.', categories: ['mobilitaet'], licence: 'MIT', status: 'stable', signals: { releasedDaysAgo: 900 } },
  // Knowledge-transfer signals, one pair of equal texts each: a confirmed production reuse (same
  // number of reuses), a transfer package (6 of 11 kinds), a release this quarter (against one
  // this year: both had the same boost before the graded recency).
  { slug: 'friedhof-a', name: 'Friedhofsverwaltung', org: 'ulm', de: 'Grabstellen und Nutzungsrechte verwalten.', categories: ['verwaltung'], licence: 'MIT', status: 'stable', reuses: { status: 'production', count: 2, confirmed: true } },
  { slug: 'friedhof-b', name: 'Friedhofsverwaltung', org: 'kiel', de: 'Grabstellen und Nutzungsrechte verwalten.', categories: ['verwaltung'], licence: 'MIT', status: 'stable', reuses: { status: 'production', count: 2 } },
  { slug: 'spielplatz-a', name: 'Spielplatzkontrolle', org: 'muenster', de: 'Prüfprotokolle für Spielgeräte.', categories: ['verwaltung'], licence: 'MIT', status: 'stable', transfer: ['installation-guide', 'operations-manual', 'system-requirements', 'running-costs', 'procurement', 'data-protection'] },
  { slug: 'spielplatz-b', name: 'Spielplatzkontrolle', org: 'jena', de: 'Prüfprotokolle für Spielgeräte.', categories: ['verwaltung'], licence: 'MIT', status: 'stable' },
  { slug: 'streudienst-a', name: 'Streudienstplaner', org: 'kiel', de: 'Touren für den Winterdienst planen.', categories: ['mobilitaet'], licence: 'MIT', status: 'stable', signals: { releasedDaysAgo: 20 } },
  { slug: 'streudienst-b', name: 'Streudienstplaner', org: 'ulm', de: 'Touren für den Winterdienst planen.', categories: ['mobilitaet'], licence: 'MIT', status: 'stable', signals: { releasedDaysAgo: 200 } },
  // Identical entries without signals: the slug breaks the tie.
  { slug: 'wahlhelfer-b', name: 'Wahlhelfer-Portal', org: 'jena', de: 'Wahlhelferinnen und Wahlhelfer gewinnen und einteilen.', categories: ['verwaltung'], licence: 'MIT', status: 'beta' },
  { slug: 'wahlhelfer-a', name: 'Wahlhelfer-Portal', org: 'jena', de: 'Wahlhelferinnen und Wahlhelfer gewinnen und einteilen.', categories: ['verwaltung'], licence: 'MIT', status: 'beta' },
];

async function inject(app: FastifyInstance, method: 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) {
  const res = await app.inject({ method, url, headers, payload: payload as never });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? null : (res.json() as Record<string, unknown>);
}

export async function buildCatalogue(app: FastifyInstance, db: Db) {
  const orgs = new Map<string, { id: string; token: string }>();
  for (const org of ORGS) {
    const created = await inject(app, 'POST', '/v1/organisations', admin, {
      name: org.name,
      kind: org.kind,
      ...(org.state ? { state: org.state } : {}),
      ...(org.cohortYear ? { cohortYear: org.cohortYear, programme: 'MPSC' } : {}),
    });
    const token = await inject(app, 'POST', `/v1/organisations/${String(created!.id)}/tokens`, admin, { scopes: ['publish'], label: 'catalogue' });
    orgs.set(org.key, { id: String(created!.id), token: String(token!.token) });
  }
  // Reusing organisations: plain municipalities, enough for the largest reuse count.
  const reusers: string[] = [];
  for (let i = 0; i < 6; i++) {
    const created = await inject(app, 'POST', '/v1/organisations', admin, { name: `Nachnutzende Gemeinde ${i + 1}`, kind: 'municipality' });
    reusers.push(String(created!.id));
  }
  const ids = new Map<string, string>();
  for (const entry of ENTRIES) {
    const org = orgs.get(entry.org)!;
    const created = await inject(app, 'POST', '/v1/software', bearer(org.token), {
      name: entry.name,
      slug: entry.slug,
      organisationId: org.id,
      shortDescription: { de: entry.de ?? null, en: entry.en ?? null },
      longDescription: { de: entry.longDe ?? null, en: entry.longEn ?? null },
      categories: entry.categories ?? [],
      licence: entry.licence ?? null,
      developmentStatus: entry.status ?? null,
    });
    const id = String(created!.id);
    ids.set(entry.slug, id);
    const s = entry.signals ?? {};
    if (entry.readme || entry.features || s.maintenance || s.publiccodeValid || s.releasedDaysAgo) {
      await updateSoftware(db, id, {
        readmeMarkdown: entry.readme ?? null,
        features: entry.features ?? [],
        maintenanceType: s.maintenance ?? null,
        publiccodeValid: s.publiccodeValid ?? null,
        latestReleaseVersion: s.releasedDaysAgo ? '1.0.0' : null,
        latestReleaseAt: s.releasedDaysAgo ? new Date(Date.now() - s.releasedDaysAgo * 86_400_000) : null,
      });
    }
    for (let i = 0; i < (entry.reuses?.count ?? 0); i++) {
      const reuse = await insertReuse(db, {
        softwareId: id,
        organisationId: reusers[i]!,
        status: entry.reuses!.status as 'production',
        ...(entry.reuses!.confirmed ? { verification: 'confirmed' as const, verifiedBy: 'producer', verifiedAt: new Date() } : {}),
      });
      if (i === 0 && entry.report) {
        await inject(app, 'POST', `/v1/software/${id}/reuses/${reuse.id}/experience-reports`, admin, { recommendation: 4, whatWorked: entry.report });
      }
    }
    for (const kind of entry.transfer ?? []) {
      await inject(app, 'PUT', `/v1/software/${id}/transfer-package/${kind}`, bearer(org.token), { url: `https://example.org/${entry.slug}/${kind}` });
    }
    if (entry.active === false) await inject(app, 'DELETE', `/v1/software/${id}`, bearer(org.token));
  }
  return { ids };
}

/** Queries as a municipal user types them, with the entries that must come first. */
export const QUERIES: { q: string; top3?: string[]; top10?: string[] }[] = [
  { q: 'Mängelmelder', top3: ['maengelmelder', 'open-smartcity-app'] },
  { q: 'Maengelmelder', top3: ['maengelmelder'] },
  { q: 'Mangelmelder', top3: ['maengelmelder'] },
  { q: 'mängelmelder', top3: ['maengelmelder'] },
  { q: 'Melder', top10: ['maengelmelder', 'schlaglochmelder'] },
  { q: 'Mängelmeldr', top3: ['maengelmelder'] },
  { q: 'Mängel', top3: ['maengelmelder'] },
  { q: 'mäng', top3: ['maengelmelder'] },
  { q: 'Bürgerbeteiligung', top3: ['dipas', 'consul'] },
  { q: 'buergerbeteiligung', top3: ['dipas', 'consul'] },
  { q: 'buergerbeteilgung', top10: ['dipas', 'consul'] },
  { q: 'Beteiligung', top10: ['dipas', 'consul'] },
  { q: 'Parkraum Sensor', top3: ['parkraum-sensorik'] },
  { q: 'Parkplatz', top3: ['parkraum-sensorik'] },
  { q: 'parken innenstadt', top3: ['parkleitsystem'] },
  { q: 'parking sensors', top3: ['parkraum-sensorik'] },
  { q: 'Verkehrsberuhigung', top3: ['parkraum-sensorik'] },
  { q: 'waste collection app', top3: ['abfallkalender'] },
  { q: 'waste collection', top3: ['abfallkalender', 'smart-waste-routing'] },
  { q: 'Müllabfuhr', top3: ['abfallkalender'] },
  { q: 'Abfall', top3: ['abfallkalender'], top10: ['open-smartcity-app'] },
  { q: 'Abfallkalender', top3: ['abfallkalender'] },
  { q: 'street trees', top3: ['giess-den-kiez'] },
  { q: 'Stadtbäume gießen', top3: ['giess-den-kiez'] },
  { q: 'Giess den Kiez', top3: ['giess-den-kiez'] },
  { q: 'Baumkataster', top3: ['giess-den-kiez'] },
  { q: 'Klimadaten', top3: ['klimadashboard-muenster'] },
  { q: 'CO2', top3: ['klimadashboard-muenster'] },
  { q: 'dashboard klima', top3: ['klimadashboard-muenster'] },
  { q: 'SensorThings', top3: ['frost-server'] },
  { q: 'IoT sensor data', top3: ['frost-server'] },
  { q: 'Datenplattform', top3: ['urbane-datenplattform-jena'], top10: ['lautrer-wissen'] },
  { q: 'open data', top10: ['urbane-datenplattform-jena'] },
  { q: 'Geoportal', top3: ['masterportal'] },
  { q: 'GIS map', top3: ['masterportal'] },
  { q: 'Dorf App', top3: ['smart-village-app'] },
  { q: 'Veranstaltungskalender', top3: ['gemeinschaftskalender'] },
  { q: 'Ehrenamt', top3: ['vima', 'gemeinschaftskalender'] },
  { q: 'Raumbuchung', top3: ['smart-city-booking'] },
  { q: 'booking rooms', top3: ['smart-city-booking'] },
  { q: 'Radrouting', top3: ['stadtnavi'] },
  { q: 'barrierefrei', top3: ['stadtnavi'] },
  { q: 'bike sharing', top3: ['gbfsmap'] },
  { q: 'digitaler Zwilling', top3: ['lautrer-wissen'] },
  { q: 'Feinstaub', top3: ['luftqualitaet-sensoren'] },
  { q: 'air quality', top3: ['luftqualitaet-sensoren'] },
  { q: 'Luftqualitat', top3: ['luftqualitaet-sensoren'] },
  { q: 'Hochwasser', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'flood warning', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Frühwarnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Schulanmeldung', top3: ['digitale-schulanmeldung'] },
  { q: 'Ratsinfo', top3: ['ratsinformationssystem'] },
  { q: 'Termin Bürgeramt', top3: ['terminvergabe-buergerbuero'] },
  { q: 'appointment booking', top3: ['terminvergabe-buergerbuero'] },
  { q: 'Photovoltaik', top3: ['energiemonitor'] },
  { q: 'Ladesäule', top3: ['ladesaeulenfinder'] },
  { q: 'Ladesaeulen', top3: ['ladesaeulenfinder'] },
  { q: 'EV charging', top3: ['ladesaeulenfinder'] },
  { q: 'Stadtführung', top3: ['stadtrundgang-app'] },
  { q: 'Leerstand', top3: ['leerstandsmanagement'] },
  { q: 'Pflegeplätze', top3: ['pflegeplatzboerse'] },
  { q: 'Strassenschaeden', top3: ['schlaglochmelder'] },
  { q: 'Schlaglöcher', top3: ['schlaglochmelder'] },
  { q: 'Solingen', top3: ['maengelmelder', 'open-smartcity-app'] },
  { q: 'Nachbarschaftshilfe', top3: ['vima'] },
  { q: 'Wahlhelfer', top3: ['wahlhelfer-a', 'wahlhelfer-b'] },
  // Umlauts typed as ae/oe/ue.
  { q: 'Ladesaeule', top3: ['ladesaeulenfinder'] },
  { q: 'Fruehwarnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Pflegeplaetze', top3: ['pflegeplatzboerse'] },
  { q: 'Stadtfuehrung', top3: ['stadtrundgang-app'] },
  { q: 'Luftqualitaet', top3: ['luftqualitaet-sensoren'] },
  { q: 'Muellabfuhr', top3: ['abfallkalender'] },
  // Misspellings.
  { q: 'Abfalkalender', top3: ['abfallkalender'] },
  { q: 'Hochwaser', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Ratsinformationsystem', top3: ['ratsinformationssystem'] },
  { q: 'Schulanmeldnug', top3: ['digitale-schulanmeldung'] },
  // Parts of compounds, and compounds whose ending is what entries name.
  { q: 'Kalender', top10: ['abfallkalender', 'gemeinschaftskalender', 'baustellenkalender-a'] },
  { q: 'Warnsystem', top3: ['hochwasser-fruehwarnsystem'] },
  { q: 'Terminbuchung', top10: ['smart-city-booking'] },
  // English for German entries and the reverse (synonym table).
  { q: 'participation platform', top3: ['consul'] },
  { q: 'participation', top3: ['dipas', 'consul'] },
  { q: 'parking', top3: ['parkraum-sensorik'], top10: ['parkleitsystem'] },
  { q: 'Parken', top3: ['parkleitsystem'], top10: ['parkraum-sensorik'] },
  { q: 'waste', top3: ['abfallkalender', 'smart-waste-routing'] },
  { q: 'Müll', top10: ['abfallkalender'] },
  { q: 'trees', top3: ['giess-den-kiez'] },
  { q: 'volunteering', top3: ['vima', 'gemeinschaftskalender'] },
  { q: 'energy', top3: ['energiemonitor'] },
  { q: 'school', top3: ['digitale-schulanmeldung'] },
  { q: 'map', top10: ['masterportal', 'gbfsmap'] },
  { q: 'Fahrrad', top10: ['gbfsmap'] },
  { q: 'Termin', top3: ['terminvergabe-buergerbuero'] },
  { q: 'Klima', top3: ['klimadashboard-muenster'] },
  { q: 'Beteiligung Hamburg', top3: ['dipas'] },
  // Abbreviations.
  { q: 'OZG', top3: ['ozg-antragsportal'] },
  { q: 'Onlinezugangsgesetz', top3: ['ozg-antragsportal'] },
  { q: 'DMS', top3: ['e-akte'] },
  { q: 'document management', top3: ['e-akte'] },
  { q: 'Dokumentenmanagement', top3: ['e-akte'] },
  { q: 'GIS', top3: ['masterportal'] },
  { q: 'RIS', top3: ['ratsinformationssystem'] },
  { q: 'council', top3: ['ratsinformationssystem'] },
  { q: 'ÖPNV', top3: ['stadtnavi', 'open-smartcity-app'] },
  // What reusers wrote in experience reports (README level).
  { q: 'Betrieb beim IT-Dienstleister', top3: ['ratsinformationssystem'] },
  { q: 'IT-Dienstleister', top3: ['ratsinformationssystem'] },
  { q: 'Friedhofsverwaltung', top3: ['friedhof-a', 'friedhof-b'] },
  { q: 'Spielplatz', top3: ['spielplatz-a', 'spielplatz-b'] },
  { q: 'Winterdienst', top3: ['streudienst-a', 'streudienst-b'] },
];

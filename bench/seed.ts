/**
 * Builds a synthetic catalogue for the search benchmark in server mode:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/transferhub_bench npm run bench:seed -- --software 100000 [--organisations 5000] [--reset]
 * Names and texts come from the vocabulary of the demo catalogue and the category proposal
 * (German and English), licences and categories follow skewed distributions like real
 * registries, READMEs are a few KB. Rows go in as multi-row INSERT … SELECT FROM unnest(…)
 * batches on two connections, so the search triggers index a whole batch per statement.
 * Organisations: the 73 MPSC municipalities of data/demo plus synthetic ones up to --organisations
 * (default 5,000, the size of the programme-report benchmark); a fifth of the synthetic
 * municipalities and counties join the programme MPSC, so the report (npm run bench:report) covers
 * about a thousand funded organisations. Most entries get a repository (crawl state, head commit
 * date), the releases behind their latest version, and about a third a partial transfer package.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { openPostgres } from '../src/db/client';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const SOFTWARE = Number(arg('software') ?? 100_000);
/** The report size: 5,000 organisations beside the 100,000 entries. */
const ORGANISATIONS = Number(arg('organisations') ?? 5_000);
const RESET = args.includes('--reset');
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('DATABASE_URL must name the bench database (never the test template)');
if (/test_template/.test(DATABASE_URL)) throw new Error('refusing to seed the test template');
/** 500 rows per statement: large enough to amortise round trips, small enough for a steady trigger batch. */
const BATCH = 500;
/** This machine has two cores; PostgreSQL does the trigger work, one connection per core. */
const WORKERS = 2;

// Deterministic pseudo-random numbers (mulberry32), so two seeds give the same catalogue.
let state = 0x5eed;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
/** Zipf-like pick: the first items are much more frequent, as in real catalogues. */
const skewed = <T>(items: readonly T[]) => items[Math.floor(items.length * random() ** 2.2)]!;
function weighted<T>(table: readonly [T, number][]): T {
  let r = random() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of table) if ((r -= w) < 0) return value;
  return table[0]![0];
}

const TOPICS_DE = [
  'Mängelmelder', 'Parkraum', 'Bürgerbeteiligung', 'Abfallkalender', 'Baumkataster', 'Klimadaten', 'Luftqualität',
  'Hochwasser', 'Ladesäulen', 'Radverkehr', 'Stadtgrün', 'Energiemonitor', 'Leerstand', 'Pflegeplatz', 'Schulanmeldung',
  'Ratsinformation', 'Terminvergabe', 'Veranstaltungen', 'Ehrenamt', 'Nachbarschaftshilfe', 'Gewerbeflächen', 'Baustellen',
  'Straßenbeleuchtung', 'Winterdienst', 'Wahlhelfer', 'Sperrmüll', 'Fundbüro', 'Kitaplatz', 'Bauantrag', 'Geodaten',
  'Sensordaten', 'Verkehrszählung', 'Lärmkarte', 'Starkregen', 'Wärmeplanung', 'Solarkataster', 'Mobilitätsstation',
  'Bürgerhaushalt', 'Stadtführung', 'Tourismus', 'Innenstadt', 'Wochenmarkt', 'Friedhofsverwaltung', 'Spielplatz',
  'Schwimmbad', 'Bibliothek', 'Feuerwehr', 'Katastrophenschutz', 'Jugendbeteiligung', 'Seniorenhilfe',
];
const TOPICS_EN = [
  'Parking', 'Waste Collection', 'Air Quality', 'Flood Warning', 'EV Charging', 'Street Trees', 'Public Participation',
  'Open Data', 'Urban Data', 'Digital Twin', 'Mobility', 'Energy', 'Citizen Services', 'Events', 'Bike Sharing',
  'Noise', 'Heat', 'Tourism', 'Volunteering', 'Transit',
];
const FUNCTIONS = ['Portal', 'App', 'Plattform', 'Dashboard', 'Karte', 'Assistent', 'Register', 'Meldesystem', 'Schnittstelle', 'Monitor', 'Planer', 'Finder', 'Service', 'Cockpit', 'Datenbank', 'Hub', 'Toolkit', 'API', 'Tracker', 'Connector'];
const DOMAINS = ['verwaltung', 'mobilitaet', 'daten-plattformen', 'beteiligung', 'umwelt-klima', 'stadtentwicklung', 'kultur-tourismus', 'energie', 'gesundheit-soziales', 'bildung', 'wirtschaft-handel', 'sicherheit-resilienz'];
const FUNCTION_CATEGORIES = ['data-visualization', 'geographic-information-systems', 'data-collection', 'digital-citizenship', 'online-community', 'communications', 'event-management', 'online-booking', 'appointment-scheduling', 'content-management', 'document-management', 'survey', 'data-analytics'];
const FEATURES = ['Kartenansicht', 'Push-Benachrichtigungen', 'Open Data Export', 'LoRaWAN', 'Echtzeit', 'Barrierefreiheit', 'Mehrsprachigkeit', 'Single Sign-On', 'REST API', 'Offline-Modus', 'Foto-Upload', 'Statistik', 'OParl', 'OGC SensorThings', 'Kalender-Export', 'Dark Mode'];
const LICENCES: [string | null, number][] = [
  ['EUPL-1.2', 30], ['MIT', 20], ['GPL-3.0-or-later', 10], ['AGPL-3.0-or-later', 10], ['Apache-2.0', 10], ['GPL-3.0-only', 5],
  ['LGPL-3.0-or-later', 3], ['MPL-2.0', 3], ['BSD-3-Clause', 3], [null, 6],
];
const STATUSES: [string, number][] = [['stable', 45], ['beta', 20], ['development', 20], ['concept', 10], ['obsolete', 5]];
const MAINTENANCE: [string | null, number][] = [['internal', 40], ['contract', 20], ['community', 15], [null, 25]];
const SENTENCES_DE = [
  'Die Anwendung wurde im Rahmen der Modellprojekte Smart Cities entwickelt und steht als Open Source zur Nachnutzung bereit.',
  'Bürgerinnen und Bürger können Anliegen direkt an die zuständige Stelle der Verwaltung übermitteln.',
  'Die Daten werden über offene Schnittstellen bereitgestellt und können in andere Fachverfahren übernommen werden.',
  'Sensoren im Stadtgebiet liefern Messwerte, die auf einer Karte und in einem Dashboard dargestellt werden.',
  'Die Lösung ist barrierefrei gestaltet und auf Smartphones, Tablets und Desktop-Rechnern nutzbar.',
  'Der Betrieb ist in einem kommunalen Rechenzentrum oder bei einem IT-Dienstleister möglich.',
  'Eine Redaktionsoberfläche erlaubt es, Inhalte ohne Programmierkenntnisse zu pflegen.',
  'Die Software wird von mehreren Kommunen gemeinsam weiterentwickelt und gepflegt.',
  'Datenschutz und Informationssicherheit wurden von Beginn an berücksichtigt.',
  'Über eine Rechteverwaltung lassen sich Zuständigkeiten für Ämter und Fachbereiche abbilden.',
];
const SENTENCES_EN = [
  'The application was developed in a smart city model project and is published as open source for reuse.',
  'Citizens can send requests directly to the responsible department of the administration.',
  'Data is published through open interfaces and can be used by other systems.',
  'Sensors across the city deliver measurements shown on a map and in a dashboard.',
  'The solution is accessible and works on smartphones, tablets and desktop computers.',
  'It can be operated in a municipal data centre or by an IT service provider.',
  'An editorial interface lets staff maintain content without programming skills.',
  'Several municipalities develop and maintain the software together.',
];

const cities = (parse(readFileSync(new URL('../data/demo/mpsc-municipalities.csv', import.meta.url)), { columns: true }) as { name: string; state: string; cohort_year: string; type: string }[])
  .map((row) => ({ name: row.name.split(/[(,;]/)[0]!.trim(), state: row.state, cohort: Number(row.cohort_year), type: row.type }));
const STATES = [...new Set(cities.flatMap((c) => c.state.split(';').map((s) => s.trim())))];

function sentences(pool: readonly string[], n: number) {
  return Array.from({ length: n }, () => pick(pool)).join(' ');
}

function readme(name: string, topic: string) {
  const parts = [`# ${name}`, '', sentences(SENTENCES_DE, 4), '', '## Funktionen', ''];
  for (let i = 0; i < 6; i++) parts.push(`- ${pick(FEATURES)}: ${pick(SENTENCES_DE)}`);
  parts.push('', '## Installation', '', '```bash', 'docker compose up -d', 'npm ci && npm run build', '```', '', '## About', '', sentences(SENTENCES_EN, 5));
  parts.push('', `## ${topic}`, '', sentences(SENTENCES_DE, 6), '', '## Licence', '', 'See LICENSE.');
  return parts.join('\n');
}

type Row = {
  slug: string; name: string; org: number; de: string | null; en: string | null; longDe: string | null; longEn: string | null;
  categories: string[]; features: string[]; licence: string | null; status: string; maintenance: string | null;
  publiccodeValid: boolean; releasedAt: string | null; readme: string | null;
};

function makeRow(i: number, orgCount: number): Row {
  const english = random() < 0.25;
  const topic = english ? skewed(TOPICS_EN) : skewed(TOPICS_DE);
  const fn = pick(FUNCTIONS);
  const city = pick(cities).name;
  const name = weighted<string>([[`${topic} ${fn}`, 3], [`${topic}-${fn} ${city}`, 3], [`Smart ${topic}`, 1], [`${city} ${topic}`, 2], [`Open ${topic} ${fn}`, 1]]);
  const domains = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => skewed(DOMAINS)))];
  const categories = [...domains, ...(random() < 0.6 ? [skewed(FUNCTION_CATEGORIES)] : [])];
  return {
    slug: `${name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${i}`,
    name,
    org: Math.floor(orgCount * random() ** 1.5),
    de: english && random() < 0.5 ? null : `${topic}: ${pick(SENTENCES_DE)}`.slice(0, 150),
    en: random() < 0.6 ? `${topic} ${fn.toLowerCase()}: ${pick(SENTENCES_EN)}`.slice(0, 150) : null,
    longDe: random() < 0.8 ? sentences(SENTENCES_DE, 3) : null,
    longEn: random() < 0.4 ? sentences(SENTENCES_EN, 3) : null,
    categories,
    features: Array.from({ length: Math.floor(random() * 4) }, () => pick(FEATURES)),
    licence: weighted(LICENCES),
    status: weighted(STATUSES),
    maintenance: weighted(MAINTENANCE),
    publiccodeValid: random() < 0.5,
    releasedAt: random() < 0.8 ? new Date(Date.now() - random() * 3 * 365 * 86_400_000).toISOString() : null,
    readme: random() < 0.9 ? readme(name, topic) : null,
  };
}

/** 90 % of the entries have a repository; most crawls succeeded, the head commit within three years. */
async function seedRepositories(pool: pg.Pool, rows: { id: string; slug: string; organisation_id: string }[]) {
  const repos = rows.filter(() => random() < 0.9);
  await pool.query(
    `INSERT INTO repository (url, organisation_id, software_id, host_kind, crawl_state, head_committed_at, last_success_at)
     SELECT u, o, s, 'git', c, h, CASE WHEN c = 'failed' THEN NULL ELSE now() END
     FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) AS x(u, o, s, c, h)`,
    [
      repos.map((r) => `https://git.example.org/bench/${r.slug}`), repos.map((r) => r.organisation_id), repos.map((r) => r.id),
      repos.map(() => weighted([['succeeded', 60], ['unchanged', 25], ['failed', 10], ['queued', 5]] as [string, number][])),
      repos.map(() => new Date(Date.now() - random() * 3 * 365 * 86_400_000).toISOString()),
    ],
  );
}

/**
 * The release rows behind each entry's latest release (1.0.0 at releasedAt, as the entry says):
 * half of them had a 0.9.0 three months before, a quarter also a 0.8.0 half a year before. The
 * federation benchmark bootstraps these with the software.
 */
async function seedReleases(pool: pg.Pool, rows: { id: string; releasedAt: Date | null }[]) {
  const release = { software: [] as string[], version: [] as string[], at: [] as string[] };
  for (const row of rows) {
    if (!row.releasedAt) continue;
    const at = row.releasedAt.getTime();
    const older = random() < 0.5 ? (random() < 0.5 ? 2 : 1) : 0;
    for (const [version, daysBefore] of [['1.0.0', 0], ['0.9.0', 90], ['0.8.0', 180]].slice(0, older + 1) as [string, number][]) {
      release.software.push(row.id);
      release.version.push(version);
      release.at.push(new Date(at - daysBefore * 86_400_000).toISOString());
    }
  }
  if (release.software.length === 0) return;
  await pool.query(
    `INSERT INTO release (software_id, version, released_at, source)
     SELECT s, v, a, 'api' FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS x(s, v, a)`,
    [release.software, release.version, release.at],
  );
}

const KINDS = ['installation-guide', 'operations-manual', 'system-requirements', 'running-costs', 'procurement', 'cooperation-agreement', 'data-protection', 'accessibility-statement', 'security-contact', 'training-material', 'reuse-contact'];

/** A third of the entries carry a partial transfer package: 1–6 declared links, now and then a kind marked not applicable. */
async function seedTransferItems(pool: pg.Pool, softwareIds: string[]) {
  const items = { software: [] as string[], kind: [] as string[], url: [] as (string | null)[], na: [] as boolean[] };
  for (const id of softwareIds) {
    if (random() >= 0.33) continue;
    const kinds = new Set(Array.from({ length: 1 + Math.floor(random() * 6) }, () => skewed(KINDS)));
    for (const kind of kinds) {
      const na = random() < 0.1;
      items.software.push(id);
      items.kind.push(kind);
      items.url.push(na ? null : `https://docs.example.org/${id}/${kind}`);
      items.na.push(na);
    }
  }
  for (let i = 0; i < items.software.length; i += 5000) {
    await pool.query(
      `INSERT INTO transfer_item (software_id, kind, source, url, not_applicable, language, last_checked_on)
       SELECT s, k, 'declared', u, n, 'de', current_date FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[]) AS x(s, k, u, n)`,
      [items.software.slice(i, i + 5000), items.kind.slice(i, i + 5000), items.url.slice(i, i + 5000), items.na.slice(i, i + 5000)],
    );
  }
  return items.software.length;
}

async function main() {
  const started = Date.now();
  const database = await openPostgres(DATABASE_URL!, { max: 1 });
  await database.migrate();
  await database.close();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: WORKERS });
  try {
    const { rows: [existing] } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM software');
    if (Number(existing!.n) > 0) {
      if (!RESET) throw new Error(`the database already holds ${existing!.n} software entries; pass --reset to replace them`);
      await pool.query('TRUNCATE transfer_item, reuse, release, repository, audit_event, api_token, software, organisation, search_term CASCADE');
    }

    // Organisations: the 73 MPSC plus other municipalities, counties and companies up to ORGANISATIONS.
    const orgs: { slug: string; name: string; kind: string; state: string | null; cohort: number | null; programme: string | null }[] = cities.map((c, i) => ({
      slug: `mpsc-${i}`, name: c.name, kind: c.type === 'Landkreis' ? 'county' : c.type === 'Stadt' || c.type === 'Gemeinde' ? 'municipality' : 'municipal_association',
      state: c.state, cohort: c.cohort, programme: 'MPSC',
    }));
    for (let i = 0; orgs.length < ORGANISATIONS; i++) {
      const kind = weighted([['municipality', 60], ['county', 15], ['company', 15], ['state', 3], ['other', 7]] as [string, number][]);
      const funded = (kind === 'municipality' || kind === 'county') && random() < 0.2;
      orgs.push({
        slug: `org-${i}`, name: `${kind === 'company' ? 'Digital' : 'Gemeinde'} ${pick(TOPICS_DE)} ${i}`, kind, state: kind === 'company' ? null : pick(STATES),
        cohort: funded ? pick([2019, 2020, 2021]) : null, programme: funded ? 'MPSC' : null,
      });
    }
    const { rows: orgRows } = await pool.query<{ id: string }>(
      `INSERT INTO organisation (slug, name, kind, state, cohort_year, programme)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[]) RETURNING id`,
      [orgs.map((o) => o.slug), orgs.map((o) => o.name), orgs.map((o) => o.kind), orgs.map((o) => o.state), orgs.map((o) => o.cohort), orgs.map((o) => o.programme)],
    );
    const orgIds = orgRows.map((r) => r.id);

    let next = 0;
    let done = 0;
    const softwareIds: string[] = [];
    const worker = async () => {
      for (;;) {
        const from = next;
        if (from >= SOFTWARE) return;
        next += BATCH;
        const batch = Array.from({ length: Math.min(BATCH, SOFTWARE - from) }, (_, k) => makeRow(from + k, orgIds.length));
        const { rows } = await pool.query<{ id: string; slug: string; organisation_id: string; latest_release_at: Date | null }>(
          `INSERT INTO software (slug, name, organisation_id, short_description_de, short_description_en, long_description_de,
             long_description_en, categories, features, licence, development_status, maintenance_type, publiccode_valid,
             latest_release_version, latest_release_at, readme_markdown)
           SELECT s, n, o, sd, se, ld, le, string_to_array(c, '|'), string_to_array(f, '|'), l, st, m, pv,
             CASE WHEN r IS NULL THEN NULL ELSE '1.0.0' END, r, rm
           FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
             $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::timestamptz[], $15::text[])
             AS x(s, n, o, sd, se, ld, le, c, f, l, st, m, pv, r, rm)
           RETURNING id, slug, organisation_id, latest_release_at`,
          [
            batch.map((r) => r.slug), batch.map((r) => r.name), batch.map((r) => orgIds[r.org]), batch.map((r) => r.de), batch.map((r) => r.en),
            batch.map((r) => r.longDe), batch.map((r) => r.longEn), batch.map((r) => r.categories.join('|')), batch.map((r) => r.features.join('|')),
            batch.map((r) => r.licence), batch.map((r) => r.status), batch.map((r) => r.maintenance), batch.map((r) => r.publiccodeValid),
            batch.map((r) => r.releasedAt), batch.map((r) => r.readme),
          ],
        );
        softwareIds.push(...rows.map((r) => r.id));
        await seedRepositories(pool, rows);
        await seedReleases(pool, rows.map((row) => ({ id: row.id, releasedAt: row.latest_release_at })));
        done += batch.length;
        if (done % 10_000 < BATCH) console.log(`  ${done} software entries (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    // Reuse: about 30 % of the entries are reused, by 1–8 organisations, mostly in production;
    // the producer confirmed about 60 % of the records and disputed a few (what the report counts).
    const reuse = { software: [] as string[], org: [] as string[], status: [] as string[], verification: [] as string[] };
    for (const id of softwareIds) {
      if (random() >= 0.3) continue;
      const reusers = new Set(Array.from({ length: 1 + Math.floor(random() ** 2 * 8) }, () => pick(orgIds)));
      for (const org of reusers) {
        reuse.software.push(id);
        reuse.org.push(org);
        reuse.status.push(weighted([['production', 50], ['piloting', 25], ['evaluating', 20], ['retired', 5]] as [string, number][]));
        reuse.verification.push(weighted([['confirmed', 60], ['self-declared', 37], ['disputed', 3]] as [string, number][]));
      }
    }
    for (let i = 0; i < reuse.software.length; i += 5000) {
      await pool.query(
        `INSERT INTO reuse (software_id, organisation_id, status, verification, verified_by, verified_at, dispute_reason)
         SELECT s, o, st, v, CASE WHEN v = 'self-declared' THEN NULL ELSE 'admin' END, CASE WHEN v = 'self-declared' THEN NULL ELSE now() END,
           CASE WHEN v = 'disputed' THEN 'Uns nicht bekannt' END
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS x(s, o, st, v) ON CONFLICT DO NOTHING`,
        [reuse.software.slice(i, i + 5000), reuse.org.slice(i, i + 5000), reuse.status.slice(i, i + 5000), reuse.verification.slice(i, i + 5000)],
      );
    }
    console.log(`  ${reuse.software.length} reuse records`);
    console.log(`  ${(await pool.query<{ n: string }>('SELECT count(*) AS n FROM release')).rows[0]!.n} releases`);
    console.log(`  ${await seedTransferItems(pool, softwareIds)} transfer-package items`);
    // Flush GIN pending lists and give the planner statistics, as autovacuum would after a bulk load.
    await pool.query('VACUUM ANALYZE');
    const { rows: [size] } = await pool.query<{ db: string; search: string }>(
      "SELECT pg_size_pretty(pg_database_size(current_database())) AS db, pg_size_pretty(pg_total_relation_size('software_search')) AS search",
    );
    console.log(`seeded ${SOFTWARE} software entries, ${orgIds.length} organisations in ${((Date.now() - started) / 1000).toFixed(0)} s; database ${size!.db}, search document ${size!.search}`);
  } finally {
    await pool.end();
  }
}

await main();

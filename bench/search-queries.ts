/**
 * The long tail of the search benchmark: distinct queries as municipal staff type them, from a
 * vocabulary of its own (not the seeder's word list: words of the domain the seeded texts may or
 * may not contain, so some queries find thousands of entries and some none). Single words, two
 * and three words, misspellings, prefixes still being typed, German and English; a third ask for
 * facets, about one in four carries one or two filters. Deterministic: two runs send the same stream.
 */

const GERMAN = [
  'Parken', 'Parkhaus', 'Stellplatz', 'Müll', 'Abfall', 'Wertstoff', 'Recycling', 'Beteiligung', 'Umfrage', 'Abstimmung',
  'Baum', 'Bäume', 'Grünfläche', 'Park', 'Klima', 'Klimaschutz', 'Hitze', 'Wasser', 'Pegel', 'Überschwemmung',
  'Energie', 'Strom', 'Solar', 'Wärme', 'Heizung', 'Verkehr', 'Fahrrad', 'Radweg', 'Bus', 'Nahverkehr',
  'Schule', 'Kita', 'Anmeldung', 'Termin', 'Terminbuchung', 'Buchung', 'Raum', 'Bürgeramt', 'Formular', 'Antrag',
  'Karte', 'Stadtplan', 'Geodaten', 'Kataster', 'Sensor', 'Messung', 'Luft', 'Lärm', 'Feinstaub', 'Wetter',
  'Veranstaltung', 'Kalender', 'Kultur', 'Museum', 'Tourismus', 'Stadtführung', 'Ehrenamt', 'Verein', 'Nachbarschaft', 'Senioren',
  'Jugend', 'Pflege', 'Gesundheit', 'Notfall', 'Feuerwehr', 'Warnung', 'Baustelle', 'Straße', 'Beleuchtung', 'Winter',
  'Rathaus', 'Rat', 'Sitzung', 'Haushalt', 'Wahl', 'Friedhof', 'Bibliothek', 'Schwimmbad', 'Markt', 'Gewerbe',
  'Leerstand', 'Wohnen', 'Bauen', 'Planung', 'Digitalisierung', 'Verwaltung', 'Schnittstelle', 'Plattform', 'Datenbank', 'Dashboard',
];
const ENGLISH = [
  'parking', 'waste', 'recycling', 'participation', 'survey', 'trees', 'green', 'climate', 'heat', 'flood',
  'water', 'energy', 'solar', 'traffic', 'bicycle', 'transit', 'school', 'booking', 'appointment', 'map',
  'sensor', 'air', 'noise', 'events', 'culture', 'tourism', 'volunteer', 'seniors', 'health', 'emergency',
  'lighting', 'council', 'budget', 'library', 'market', 'housing', 'planning', 'open', 'data', 'platform',
];
const ABBREVIATIONS = ['OZG', 'DMS', 'GIS', 'RIS', 'API', 'IoT', 'LoRaWAN', 'OParl', 'CMS', 'ÖPNV'];

const FILTERS: [string, string[]][] = [
  ['state', ['Bayern', 'Nordrhein-Westfalen', 'Baden-Württemberg', 'Niedersachsen', 'Hessen', 'Sachsen', 'Thüringen']],
  ['category', ['mobilitaet', 'verwaltung', 'beteiligung', 'umwelt-klima', 'energie', 'daten-plattformen']],
  ['licence', ['EUPL-1.2', 'MIT', 'GPL-3.0-or-later', 'Apache-2.0']],
  ['organisationKind', ['municipality', 'county']],
  ['cohort', ['2019', '2020', '2021']],
  ['status', ['stable', 'beta']],
  ['productionReuse', ['true']],
];

/** mulberry32, seeded: the same stream every run. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One typing error as people make them: a letter left out, doubled, swapped with the next, or umlaut as ae/oe/ue. */
function misspell(word: string, random: () => number): string {
  if (/[äöü]/i.test(word) && random() < 0.5) return word.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue');
  const i = 1 + Math.floor(random() * Math.max(1, word.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i);
  return word.slice(0, i) + (word[i + 1] ?? '') + word[i] + word.slice(i + 2);
}

/** `count` distinct search paths (/v1/software?…). */
export function longTailPaths(count: number, seed = 0x7a11): string[] {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const word = () => {
    const r = random();
    return r < 0.65 ? pick(GERMAN) : r < 0.93 ? pick(ENGLISH) : pick(ABBREVIATIONS);
  };
  const seen = new Set<string>();
  const paths: string[] = [];
  for (let attempt = 0; paths.length < count && attempt < count * 50; attempt++) {
    const n = weightedCount(random());
    const words = Array.from({ length: n }, word);
    const shape = random();
    if (shape < 0.2) words[words.length - 1] = misspell(words.at(-1)!, random);
    const typing = shape >= 0.2 && shape < 0.4;
    if (typing) {
      const last = words.at(-1)!;
      words[words.length - 1] = last.slice(0, Math.max(3, Math.ceil(last.length * (0.4 + random() * 0.4))));
    }
    // Finished words end with a space in a search-as-you-type box; a word still being typed does not.
    const q = words.join(' ') + (typing ? '' : ' ');
    const params = new URLSearchParams({ q });
    if (random() < 1 / 3) params.set('facets', 'true');
    if (random() < 0.25) {
      const chosen = new Set<number>();
      const filters = random() < 0.7 ? 1 : 2;
      while (chosen.size < filters) chosen.add(Math.floor(random() * FILTERS.length));
      for (const i of chosen) params.set(FILTERS[i]![0], pick(FILTERS[i]![1]));
    }
    const path = `/v1/software?${params}`;
    if (seen.has(path)) continue;
    seen.add(path);
    paths.push(path);
  }
  return paths;
}

/** Half single words, a third two words, the rest three. */
function weightedCount(r: number) {
  return r < 0.5 ? 1 : r < 0.83 ? 2 : 3;
}

/** Words found in a large part of the seeded catalogue, asked with facets. */
export const BROAD_WORDS = ['Daten', 'Stadt', 'App', 'Smart', 'Open', 'Portal', 'Bürger', 'Verwaltung'];

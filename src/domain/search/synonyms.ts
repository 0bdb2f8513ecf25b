import { fold } from './query-words';

/**
 * A small, curated bilingual vocabulary of the municipal domain: words a user types in one
 * language (or as an abbreviation) and the words entries use for the same thing. Each group is a
 * set of equivalents; a query word equal to one member (case, umlauts and ae/oe/ue ignored) also
 * matches every other member, in the same ranking tier as the word itself. Kept as data so that
 * adding a pair is one line here and one query in test/search/synonyms.test.ts. Only words whose
 * stems do not already meet (a stemmer handles "Parkplatz"/"Parkplätze"); no one-sided guesses.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['Beteiligung', 'Partizipation', 'participation'],
  ['Bürgerbeteiligung', 'public participation', 'citizen participation'],
  ['Parken', 'parking', 'Parkplatz', 'Parkhaus'],
  ['Abfall', 'waste', 'Müll'],
  ['Müllabfuhr', 'waste collection', 'Abfuhr'],
  ['Baum', 'tree'],
  ['Bäume', 'trees'],
  ['Luftqualität', 'air quality'],
  ['Hochwasser', 'flood'],
  ['Ladesäule', 'charging station', 'charging'],
  ['Termin', 'appointment'],
  ['Buchung', 'booking'],
  ['Karte', 'map'],
  ['Veranstaltung', 'event'],
  ['Veranstaltungen', 'events'],
  ['Ehrenamt', 'volunteering', 'volunteer'],
  ['Verkehr', 'traffic'],
  ['Verkehrszählung', 'traffic counting', 'traffic count'],
  ['Fahrrad', 'bike', 'bicycle', 'Rad'],
  ['Energie', 'energy'],
  ['Klima', 'climate'],
  ['Schule', 'school'],
  ['Stadtrat', 'council'],
  ['Pflege', 'care'],
  ['Sensor', 'Sensoren', 'sensors'],
  ['Wetter', 'weather'],
  ['Lärm', 'noise'],
  ['Verwaltung', 'administration'],
  ['Datenplattform', 'data platform'],
  ['Plattform', 'platform'],
  ['Daten', 'data'],
  ['Dorf', 'village'],
  ['Mängelmelder', 'defect reporting', 'issue reporting'],
  ['Beteiligungsplattform', 'participation platform'],
  ['digitaler Zwilling', 'digital twin'],
  ['Wasserqualität', 'water quality'],
  ['Vereinsverwaltung', 'club management', 'association management'],
  ['Kalender', 'calendar'],
  ['Umfrage', 'survey'],
  ['offene Daten', 'open data'],
  // Abbreviations staff use for kinds of software.
  ['OZG', 'Onlinezugangsgesetz', 'Onlinedienst'],
  ['DMS', 'Dokumentenmanagement', 'document management'],
  ['GIS', 'Geoinformationssystem', 'Geodaten', 'Geoportal'],
  ['RIS', 'Ratsinformationssystem', 'council information system'],
  ['ÖPNV', 'Nahverkehr', 'public transport', 'transit'],
];

/** Folded member → the other members of its groups, as typed in the table. */
const byFold = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  for (const member of group) {
    const key = fold(member);
    const others = group.filter((m) => m !== member);
    byFold.set(key, [...new Set([...(byFold.get(key) ?? []), ...others])]);
  }
}

/** Members of several words, folded ("participation platform"): typed together, they are one query word. */
const phrases = new Set([...byFold.keys()].filter((key) => key.includes(' ')));
/** The longest member of the table is three words ("council information system"). */
const MAX_PHRASE_WORDS = 3;

/**
 * How many typed words from position `start` on form a table member of several words
 * ("defect reporting" → 2), or 1. Such a phrase is searched as one word with its equivalents
 * (Mängelmelder), so that staff typing the English name of a kind of software find the German
 * entries, which the single words ("defect", "reporting") would not.
 */
export function phraseLength(words: readonly string[], start: number): number {
  for (let n = Math.min(MAX_PHRASE_WORDS, words.length - start); n >= 2; n--) {
    if (phrases.has(fold(words.slice(start, start + n).join(' ')))) return n;
  }
  return 1;
}

/**
 * The equivalents of one typed word (single words only: a group member of several words, such as
 * "open data", is offered as an equivalent but matched as a phrase only through its own words).
 * Each equivalent is a list of words that must all be found.
 */
export function synonymsOf(word: string): string[][] {
  return (byFold.get(fold(word)) ?? []).map((member) => member.split(/\s+/));
}

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
  ['Parken', 'parking', 'Parkplatz'],
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

/**
 * The equivalents of one typed word (single words only: a group member of several words, such as
 * "open data", is offered as an equivalent but matched as a phrase only through its own words).
 * Each equivalent is a list of words that must all be found.
 */
export function synonymsOf(word: string): string[][] {
  return (byFold.get(fold(word)) ?? []).map((member) => member.split(/\s+/));
}

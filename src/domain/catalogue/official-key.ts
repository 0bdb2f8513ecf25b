/**
 * German official municipal keys. The first two digits always name the federal
 * state, which lets us cross-check a key against the state given with it.
 * - 5 digits: Kreisschlüssel (state 2, Regierungsbezirk 1, Kreis 2)
 * - 8 digits: AGS of a municipality (Kreis 5 + Gemeinde 3)
 * - 9 digits: key of a Gemeindeverband (Kreis 5 + Verband 4)
 * - 12 digits: ARS (Kreis 5 + Verband 4 + Gemeinde 3)
 */
export const FEDERAL_STATES: Record<string, string> = {
  '01': 'Schleswig-Holstein',
  '02': 'Hamburg',
  '03': 'Niedersachsen',
  '04': 'Bremen',
  '05': 'Nordrhein-Westfalen',
  '06': 'Hessen',
  '07': 'Rheinland-Pfalz',
  '08': 'Baden-Württemberg',
  '09': 'Bayern',
  '10': 'Saarland',
  '11': 'Berlin',
  '12': 'Brandenburg',
  '13': 'Mecklenburg-Vorpommern',
  '14': 'Sachsen',
  '15': 'Sachsen-Anhalt',
  '16': 'Thüringen',
};

const KEY_KINDS: Record<number, string> = { 5: 'Kreisschlüssel', 8: 'AGS', 9: 'Verbandsschlüssel', 12: 'ARS' };

/** null when valid, else a sentence saying what is wrong (de/en users both read digits). */
export function officialKeyProblem(key: string): string | null {
  if (!/^\d+$/.test(key)) return 'must consist of digits only';
  if (!(key.length in KEY_KINDS)) return 'must have 5 (Kreis), 8 (AGS), 9 (Verband) or 12 (ARS) digits';
  if (!(key.slice(0, 2) in FEDERAL_STATES)) return `starts with ${key.slice(0, 2)}, which is no federal state (01–16)`;
  return null;
}

export function stateOfKey(key: string): string | undefined {
  return FEDERAL_STATES[key.slice(0, 2)];
}

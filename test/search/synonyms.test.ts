import { describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/search/query-words';
import { phraseLength, SYNONYM_GROUPS, synonymsOf } from '../../src/domain/search/synonyms';

describe('the bilingual synonym table', () => {
  it('bridges German and English both ways', () => {
    expect(synonymsOf('Beteiligung')).toContainEqual(['participation']);
    expect(synonymsOf('participation')).toContainEqual(['Beteiligung']);
    expect(synonymsOf('Parken')).toContainEqual(['parking']);
    expect(synonymsOf('parking')).toContainEqual(['Parken']);
    expect(synonymsOf('Abfall')).toContainEqual(['waste']);
    expect(synonymsOf('waste')).toContainEqual(['Abfall']);
  });

  it('covers the municipal domain in both directions', () => {
    const pairs: [string, string][] = [
      ['Plattform', 'platform'],
      ['Baum', 'tree'],
      ['Bäume', 'trees'],
      ['Verkehr', 'traffic'],
      ['Fahrrad', 'bicycle'],
      ['Fahrrad', 'bike'],
      ['Termin', 'appointment'],
      ['Mängelmelder', 'defect reporting'],
      ['Beteiligungsplattform', 'participation platform'],
      ['Daten', 'data'],
      ['Dorf', 'village'],
      ['Parken', 'Parkhaus'],
    ];
    for (const [de, en] of pairs) {
      expect(synonymsOf(de), de).toContainEqual(en.split(' '));
      // A member of several words is typed as a phrase (phraseLength) and looked up as one word.
      expect(synonymsOf(en), en).toContainEqual([de]);
    }
  });

  it('finds the members of several words in typed text, longest first, so they are searched as one word', () => {
    expect(phraseLength(['defect', 'reporting', 'app'], 0)).toBe(2);
    expect(phraseLength(['Participation', 'Platform'], 0)).toBe(2);
    expect(phraseLength(['council', 'information', 'system'], 0)).toBe(3);
    expect(phraseLength(['app', 'document', 'management'], 1)).toBe(2);
    expect(phraseLength(['app', 'document', 'management'], 0)).toBe(1);
    expect(phraseLength(['reporting'], 0)).toBe(1);
  });

  it('matches a word typed in any case or with ae/oe/ue for umlauts', () => {
    expect(synonymsOf('MUELL')).toContainEqual(['waste']);
    expect(synonymsOf('laerm')).toContainEqual(['noise']);
    expect(synonymsOf('oepnv')).toContainEqual(['Nahverkehr']);
  });

  it('expands the abbreviations staff use to the words entries use', () => {
    expect(synonymsOf('OZG')).toContainEqual(['Onlinezugangsgesetz']);
    expect(synonymsOf('dms')).toContainEqual(['Dokumentenmanagement']);
    expect(synonymsOf('GIS')).toContainEqual(['Geoinformationssystem']);
    expect(synonymsOf('RIS')).toContainEqual(['Ratsinformationssystem']);
  });

  it('gives an equivalent of several words as its words, all to be found', () => {
    expect(synonymsOf('Müllabfuhr')).toContainEqual(['waste', 'collection']);
  });

  it('offers nothing for a word outside the table, nor the word itself', () => {
    expect(synonymsOf('Friedhof')).toEqual([]);
    expect(synonymsOf('Abfall').flat().map(fold)).not.toContain('abfall');
  });

  it('has no member in two groups, so an equivalence never chains into unrelated words', () => {
    const members = SYNONYM_GROUPS.flat().map(fold);
    expect(members.filter((m, i) => members.indexOf(m) !== i)).toEqual([]);
  });
});

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** Atom feeds as a test reads them (test/http/export-feeds, test/federation/provenance-feeds). */

export type AtomText = string | { '#text': string; '@_type'?: string };
export type AtomEntry = { id: string[]; title: AtomText[]; updated: string[]; published?: string[]; link: { '@_href': string; '@_rel'?: string }[]; author?: { name: string[] }[]; content?: AtomText[]; category?: { '@_term': string; '@_scheme'?: string; '@_label'?: string }[]; source?: { id: string[]; link?: { '@_href': string; '@_rel'?: string }[] }[] };
export type AtomFeed = { id: string[]; title: AtomText[]; updated: string[]; author?: { name: string[] }[]; entry?: AtomEntry[] };

// Every element as an array, so a test sees when one that must occur once occurs twice.
const parser = new XMLParser({ ignoreAttributes: false, isArray: (_name, _path, _leaf, isAttribute) => !isAttribute, parseTagValue: false });
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
export const text = (value: AtomText) => (typeof value === 'string' ? value : value['#text']);

/** Parses with a real XML parser and checks the Atom rules a feed validator checks first (RFC 4287 section 4.1). */
export function atomFeed(xml: string): AtomFeed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const document = parser.parse(xml) as { feed: (AtomFeed & { '@_xmlns': string })[] };
  expect(document.feed).toHaveLength(1);
  const feed = document.feed[0]!;
  expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  expect(feed.id).toHaveLength(1);
  expect(feed.title).toHaveLength(1);
  expect(feed.updated).toHaveLength(1);
  expect(feed.updated[0]).toMatch(RFC3339);
  expect(feed.id[0]).toMatch(/^(urn:uuid:[0-9a-f-]{36}|https?:\/\/)/);
  for (const entry of feed.entry ?? []) {
    expect(entry.id).toHaveLength(1);
    expect(entry.title).toHaveLength(1);
    expect(entry.updated).toHaveLength(1);
    expect(entry.updated[0]).toMatch(RFC3339);
    // atom:author is required on each entry unless the feed has one.
    expect((entry.author ?? feed.author ?? []).length).toBeGreaterThan(0);
    // Without atom:content an entry needs an alternate link.
    expect(entry.link.filter((l) => (l['@_rel'] ?? 'alternate') === 'alternate').length).toBeGreaterThanOrEqual(1);
    // atom:source (4.2.11) at most once, and when present it names its feed by an IRI.
    expect((entry.source ?? []).length).toBeLessThanOrEqual(1);
    for (const source of entry.source ?? []) {
      expect(source.id).toHaveLength(1);
      expect(source.id[0]).toMatch(/^(urn:uuid:[0-9a-f-]{36}|https?:\/\/)/);
    }
    // No entry is newer than the feed says it is.
    expect(Date.parse(entry.updated[0]!)).toBeLessThanOrEqual(Date.parse(feed.updated[0]!));
  }
  expect(new Set((feed.entry ?? []).map((e) => e.id[0])).size).toBe((feed.entry ?? []).length);
  return feed;
}

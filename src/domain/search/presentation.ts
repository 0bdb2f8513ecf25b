import { FACET_KEYS, TIER, type FacetCountRow, type SearchHitRow, type SummaryRow, type Tier } from '../../db/queries/search.queries';
import type { SoftwareSummary } from '../catalogue/software.view';
import { LOCAL, type Provenance } from '../federation/provenance';
import type { ListReuseCounts } from '../reuse/reuse-counts';
import { fold } from './query-words';
import { excerpt, highlight, mentions, plainText } from './snippet';
import type { Prepared } from './text-query';

/** How a search answer shows its hits: summaries, the fields that matched, a highlighted snippet, facet lists. */

export type MatchedField =
  | 'name'
  | 'shortDescription'
  | 'features'
  | 'categories'
  | 'organisation'
  | 'longDescription'
  | 'readme'
  | 'experienceReports';

/** The signals of the boost, in the order of th_boost_parts (migration 0013), where their weights are. */
export const BOOST_SIGNALS = ['reusesByOthers', 'confirmedProductionReuses', 'transferCompleteness', 'recentRelease', 'publiccodeValid', 'maintained'] as const;
export type BoostSignal = (typeof BOOST_SIGNALS)[number];

const TIER_NAMES = {
  [TIER.name]: 'name',
  [TIER.short]: 'shortDescription',
  [TIER.keywords]: 'keywords',
  [TIER.long]: 'longDescription',
  [TIER.readme]: 'readme',
} as const satisfies Record<Tier, string>;

export type Ranking = {
  tier: (typeof TIER_NAMES)[Tier];
  boost: number;
  signals: { signal: BoostSignal; value: number; boost: number }[];
};

/** Why a hit ranks where it does: its tier, and the signal terms its boost is the sum of (score = tier + boost). */
export function rankingOf(hit: SearchHitRow): Ranking {
  const tier = Number(hit.tier) as Tier;
  return {
    tier: TIER_NAMES[tier],
    boost: Number((Number(hit.score) - tier).toFixed(6)),
    signals: signalsOf(hit),
  };
}

/** The signals that raised the boost, largest term first; value: the signal's input (1 for a flag). */
function signalsOf(hit: SearchHitRow): Ranking['signals'] {
  const values: Record<BoostSignal, number> = {
    reusesByOthers: Number(hit.reuse_count),
    confirmedProductionReuses: Number(hit.confirmed_production_count),
    transferCompleteness: Number(hit.transfer_completeness),
    recentRelease: Number(hit.release_age_days),
    publiccodeValid: 1,
    maintained: 1,
  };
  return BOOST_SIGNALS.map((signal, i) => ({ signal, value: values[signal], boost: Number(hit.boost_parts[i]) }))
    .filter((s) => s.boost > 0)
    .sort((a, b) => b.boost - a.boost || a.signal.localeCompare(b.signal));
}

/** approximate: counted on a sample of the catalogue and scaled (only for queries matching thousands of entries). */
type Facet = { value: string; count: number; approximate?: true };
export type Facets = Record<FacetCountRow['facet'], Facet[]>;

/**
 * The fields a hit matched. Name, short description, long description and README come from the
 * vectors the statement checked; features, categories and organisation share one vector, so when
 * it matched they are told apart here on the texts (the highlighting rule: stems and prefixes,
 * parts of compounds), as are compound-part matches (patterns) in name, short descriptions and features.
 */
export function matchedFields(hit: SearchHitRow, prepared: Prepared): MatchedField[] {
  const parts = prepared.text.words.flatMap((w) => [...w.patterns, ...(w.keywordPatterns ?? [])].map((p) => p.slice(1, -1)));
  const byPart = (text: string) => parts.length > 0 && parts.some((p) => fold(text).includes(p));
  const short = [hit.short_description_de, hit.short_description_en].filter((t) => t !== null).join(' ');
  const features = hit.features.join(' ');
  let more: MatchedField[] = [];
  if (hit.m_more) {
    const found: [boolean, MatchedField][] = [
      [mentions(features, prepared.lexemes), 'features'],
      [mentions(hit.categories.join(' '), prepared.lexemes), 'categories'],
      [mentions(hit.organisation_name, prepared.lexemes), 'organisation'],
    ];
    more = found.filter(([on]) => on).map(([, field]) => field);
    // Stemming can match where the highlighting rule does not: the vector matched, so say so.
    if (more.length === 0) more = [hit.features.length > 0 ? 'features' : hit.categories.length > 0 ? 'categories' : 'organisation'];
  }
  if (!more.includes('features') && byPart(features)) more.unshift('features');
  const flags: [boolean, MatchedField[]][] = [
    [hit.m_name || byPart(hit.name), ['name']],
    [hit.m_short || byPart(short), ['shortDescription']],
    [more.length > 0, more],
    [hit.m_long, ['longDescription']],
    [hit.m_readme, ['readme']],
    [hit.m_reports, ['experienceReports']],
  ];
  return flags.filter(([on]) => on).flatMap(([, fields]) => fields);
}

/** The first description (German before English, short before long, README, then experience reports) showing a match. */
export function snippetOf(summary: SoftwareSummary, hit: SearchHitRow, lexemes: string[]) {
  const candidates: [string, string | null][] = [
    ['shortDescription.de', summary.description.de.short],
    ['shortDescription.en', summary.description.en.short],
    ['longDescription.de', summary.description.de.long],
    ['longDescription.en', summary.description.en.long],
    ['readme', hit.readme ? plainText(hit.readme) : null],
    ['experienceReports', hit.reports ? plainText(hit.reports) : null],
  ];
  for (const [field, text] of candidates) {
    const marked = text ? highlight(text, lexemes) : null;
    if (marked) return { field, text: marked };
  }
  const fallback = candidates.find(([, text]) => text);
  return fallback ? { field: fallback[0], text: excerpt(fallback[1]!) } : null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

const provenanceOfColumns = (originHub: string | null, receivedAt: Date | string | null): Provenance =>
  originHub === null ? LOCAL : { origin: originHub, receivedAt: receivedAt === null ? null : iso(receivedAt) };

/** The list shape (as softwareSummary builds it) from the summary columns the search queries return. */
export function summaryOf(row: SummaryRow): SoftwareSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    organisation: {
      id: row.organisation_id,
      slug: row.organisation_slug,
      name: row.organisation_name,
      provenance: provenanceOfColumns(row.organisation_origin_hub, row.organisation_received_at),
    },
    description: {
      de: { short: row.short_description_de, long: row.long_description_de },
      en: { short: row.short_description_en, long: row.long_description_en },
    },
    categories: row.categories,
    features: row.features,
    licence: row.licence,
    developmentStatus: row.development_status,
    maintenanceType: row.maintenance_type,
    repositoryUrl: row.repository_url,
    latestRelease: row.latest_release_version
      ? { version: row.latest_release_version, date: row.latest_release_at === null ? null : iso(row.latest_release_at) }
      : null,
    publiccodeValid: row.publiccode_valid,
    active: row.active,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A list item: the summary with its reuse counts by other organisations and its provenance. */
export type SoftwareListItem = SoftwareSummary & { reuseCounts: ListReuseCounts; provenance: Provenance };

/** A list item from the summary columns, which carry the counts and the provenance (migration 0021). */
export function listItemOf(row: SummaryRow): SoftwareListItem {
  return {
    ...summaryOf(row),
    reuseCounts: {
      byOtherOrganisations: {
        total: row.reuses_total,
        confirmed: row.reuses_confirmed,
        selfDeclared: row.reuses_total - row.reuses_confirmed,
        disputed: row.reuses_disputed,
        production: row.reuses_production,
        confirmedProduction: row.reuses_confirmed_production,
      },
    },
    provenance: provenanceOfColumns(row.origin_hub, row.received_at),
  };
}

/** Facet rows as the answer lists them: every facet present, values in count order. */
export function facetsFrom(rows: FacetCountRow[], options: { approximate?: boolean } = {}): Facets {
  const facets = Object.fromEntries(FACET_KEYS.map((key) => [key, [] as Facet[]])) as Facets;
  for (const row of rows) facets[row.facet].push({ value: row.value, count: row.count, ...(options.approximate ? { approximate: true as const } : {}) });
  return facets;
}


import { Type } from 'typebox';
import { Cursor, FederatedRef, Limit, Multi, Nullable, OriginQuery, Provenance, Timestamp, Uuid, WebUrl } from '../../schemas/common';
import { DetailReuseCounts, ListReuseCounts } from '../reuses/reuse-counts.schemas';
import { CrawlPause, CrawlStateEnum } from '../repositories/repositories.schemas';
import { Completeness } from '../transfer-package/transfer-package.schemas';
import { BOOST_SIGNALS, TRANSFER_BANDS } from '../../../domain/search/search.service';

const Localised = Type.Object(
  {
    de: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    en: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
  },
  { additionalProperties: false },
);
const Description = Type.Object({ short: Nullable(Type.String()), long: Nullable(Type.String()) });
const OrganisationRef = FederatedRef('The publishing organisation');

export const SoftwareSummary = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  organisation: OrganisationRef,
  description: Type.Object({ de: Description, en: Description }),
  categories: Type.Array(Type.String()),
  features: Type.Array(Type.String()),
  licence: Nullable(Type.String({ description: 'SPDX licence expression' })),
  developmentStatus: Nullable(Type.String()),
  maintenanceType: Nullable(Type.String()),
  repositoryUrl: Nullable(Type.String()),
  latestRelease: Nullable(Type.Object({ version: Type.String(), date: Nullable(Timestamp) })),
  publiccodeValid: Nullable(Type.Boolean()),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  provenance: Provenance,
});

const PubliccodeResult = Type.Object({
  type: Type.String(),
  key: Type.String(),
  message: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
});

const Contact = Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()), affiliation: Nullable(Type.String()) });
const Contractor = Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), website: Nullable(Type.String()), until: Nullable(Type.String()) });

export const SoftwareDetail = Type.Intersect([
  SoftwareSummary,
  Type.Object({
    latestPrerelease: Nullable(
      Type.Object(
        { version: Type.String(), date: Nullable(Timestamp) },
        { description: 'The newest prerelease (release candidate, beta) while it is newer than latestRelease, which is the latest stable release' },
      ),
    ),
    listed: Type.Boolean({ description: 'Shown in lists and search: after the first successful crawl, or once the owner described the entry' }),
    crawlState: Nullable(CrawlStateEnum),
    repositories: Type.Array(Type.Object({
      id: Uuid,
      url: Type.String(),
      crawlState: CrawlStateEnum,
      lastSuccessAt: Nullable(Timestamp),
      lastError: Nullable(Type.String()),
      paused: Nullable(CrawlPause),
    })),
    transferPackage: Type.Object(Completeness, { description: 'Transfer package (Nachnutzungspaket) completeness; the items: GET /v1/software/{id}/transfer-package' }),
    reuseCounts: DetailReuseCounts,
    maintainers: Nullable(Type.Object({
      type: Nullable(Type.String()),
      contacts: Type.Array(Contact),
      contractors: Type.Array(Contractor),
    }, { description: "The maintainers' contacts from publiccode.yml (maintenance)" })),
    publiccode: Nullable(
      Type.Object({
        raw: Type.String(),
        parsed: Type.Unknown(),
        valid: Nullable(Type.Boolean()),
        results: Type.Array(PubliccodeResult),
      }),
    ),
    readme: Nullable(Type.Object({ markdown: Type.String(), html: Nullable(Type.String({ description: 'Sanitised HTML: ids prefixed user-content-; third-party images carry data-external-src instead of src (click-to-load)' })) })),
    forge: Type.Record(Type.String(), Type.Unknown()),
  }),
]);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  organisationId: Type.String({ minLength: 1, maxLength: 200, description: 'UUID or slug of the publishing organisation' }),
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
  shortDescription: Localised,
  longDescription: Localised,
  categories: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
  licence: Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'SPDX licence expression' })),
  developmentStatus: Nullable(Type.Enum(['concept', 'development', 'beta', 'stable', 'obsolete'])),
  repositoryUrl: Nullable(WebUrl(500)),
};

export const CreateSoftwareBody = Type.Object(
  {
    name: fields.name,
    organisationId: fields.organisationId,
    slug: Type.Optional(fields.slug),
    shortDescription: Type.Optional(fields.shortDescription),
    longDescription: Type.Optional(fields.longDescription),
    categories: Type.Optional(fields.categories),
    licence: Type.Optional(fields.licence),
    developmentStatus: Type.Optional(fields.developmentStatus),
    repositoryUrl: Type.Optional(fields.repositoryUrl),
  },
  { additionalProperties: false },
);

export const UpdateSoftwareBody = Type.Object(
  {
    name: Type.Optional(fields.name),
    organisationId: Type.Optional(fields.organisationId),
    slug: Type.Optional(fields.slug),
    shortDescription: Type.Optional(fields.shortDescription),
    longDescription: Type.Optional(fields.longDescription),
    categories: Type.Optional(fields.categories),
    licence: Type.Optional(fields.licence),
    developmentStatus: Type.Optional(fields.developmentStatus),
    repositoryUrl: Type.Optional(fields.repositoryUrl),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListSoftwareQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Search term (German or English): ranked by relevance, umlaut variants and typos tolerated, the last word completes as a prefix',
      }),
    ),
    sort: Type.Optional(
      Type.Enum(['name', 'newest', 'mostReused', 'latestRelease'], {
        description:
          'Only without q (a search is ordered by relevance). name: case and umlauts ignored; newest: latest registered first; mostReused: most reuse records first; latestRelease: most recent release first, entries without one last. Default: by slug',
      }),
    ),
    organisation: Type.Optional(Multi()),
    licence: Type.Optional(
      Multi(
        Type.String({
          minLength: 1,
          maxLength: 200,
          description: 'SPDX licence id, any case: software one may use under it (an OR branch of its expression is this licence alone)',
        }),
      ),
    ),
    category: Type.Optional(Multi()),
    status: Type.Optional(Multi()),
    state: Type.Optional(Multi()),
    organisationKind: Type.Optional(Multi()),
    cohort: Type.Optional(Multi(Type.Integer({ minimum: 1990, maximum: 2100 }))),
    productionReuse: Type.Optional(Type.Boolean({ description: 'Only entries with (true) or without (false) a reuse in production by another organisation (not the producer, not its cooperation; withdrawn and disputed records do not count)' })),
    confirmedReuse: Type.Optional(Type.Boolean({ description: 'Only entries with (true) or without (false) a reuse by another organisation that the producer confirmed (not the producer, not its cooperation; withdrawn records do not count); also a facet' })),
    transferPackage: Type.Optional(
      Multi(
        Type.Enum(TRANSFER_BANDS, {
          description:
            'Transfer-package completeness (kinds present out of the kinds that apply): none (0), under-half, half-or-more (at least 50 %, not all), complete (100 %); several values: any of them (half-or-more and complete: at least half); also a facet',
        }),
      ),
    ),
    origin: Type.Optional(OriginQuery),
    facets: Type.Optional(Type.Boolean({ description: 'Include counts per facet value for this query and these filters' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

const MatchedField = Type.Enum(['name', 'shortDescription', 'features', 'categories', 'organisation', 'longDescription', 'readme', 'experienceReports']);

const Ranking = Type.Object(
  {
    tier: Type.Enum(['name', 'shortDescription', 'keywords', 'longDescription', 'readme'], {
      description:
        'How far every word reached (the integer part of the score): name 4, shortDescription 3, keywords (features, categories, organisation) 2, longDescription 1, readme (README and experience reports) 0',
    }),
    boost: Type.Number({ description: 'The fraction of the score (0–0.999999): the sum of the signal terms, ordering hits within a tier' }),
    signals: Type.Array(
      Type.Object({
        signal: Type.Enum(BOOST_SIGNALS),
        value: Type.Number({
          description:
            'The signal as counted: reuses, a share 0–1 (transferCompleteness), days since the release (recentRelease), 1 for a flag',
        }),
        boost: Type.Number({ description: "This signal's part of the boost" }),
      }),
      { description: 'The signals that raised the boost, largest first (see src/domain/search/README.md for the weights)' },
    ),
  },
  { description: 'Why the hit ranks where it does: score = tier + boost' },
);
const FacetValues = Type.Array(
  Type.Object({
    value: Type.String(),
    count: Type.Integer(),
    approximate: Type.Optional(
      Type.Literal(true, {
        description: 'The count was taken on a fixed sample of the catalogue and scaled: only for queries matching thousands of entries (a few per cent off); absent when exact',
      }),
    ),
  }),
);

export const SoftwareListItem = Type.Intersect([
  SoftwareSummary,
  Type.Object({
    reuseCounts: ListReuseCounts,
    search: Type.Optional(
      Type.Object({
        score: Type.Number({ description: 'Relevance; higher first, ties by slug' }),
        matched: Type.Array(MatchedField, { description: 'The fields some query word matched; experienceReports: the visible experience reports of reusers' }),
        ranking: Ranking,
        snippet: Nullable(
          Type.Object({
            field: Type.String(),
            text: Type.String({ description: 'HTML-escaped excerpt with matches in <mark>' }),
          }),
        ),
      }),
    ),
  }),
]);

export const SoftwarePage = Type.Object({
  items: Type.Array(SoftwareListItem),
  nextCursor: Nullable(Type.String()),
  facets: Type.Optional(
    Type.Object({
      licence: FacetValues,
      category: FacetValues,
      state: FacetValues,
      organisationKind: FacetValues,
      developmentStatus: FacetValues,
      cohort: FacetValues,
      productionReuse: FacetValues,
      confirmedReuse: FacetValues,
      transferPackage: FacetValues,
    }),
  ),
  query: Type.Optional(
    Type.Object({
      mode: Type.Enum(['exact', 'fuzzy', 'partial'], {
        description: 'exact: every word as typed; fuzzy: few exact hits, misspelt words were corrected; partial: no entry has every word, these have some of them',
      }),
      corrections: Type.Array(Type.Object({ word: Type.String(), terms: Type.Array(Type.String()) })),
    }),
  ),
});

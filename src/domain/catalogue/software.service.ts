import { assertLocalRecord, oneWithProvenance, parseOrigin, provenanceById, provenanceFrom } from '../federation/provenance';
import type { Db, Executor, Tx } from '../../db/client';
import { findOrganisationRef } from '../../db/queries/organisations.queries';
import {
  insertSoftware,
  listSoftware,
  softwareSlugTaken,
  updateSoftware,
  type SoftwareInsert,
  type SoftwareRow,
} from '../../db/queries/software.queries';
import { listRepositoriesOfSoftware, pauseRepositoriesOfSoftware, resumeRepositoriesOfSoftware } from '../../db/queries/repositories.queries';
import { transferScore } from '../../db/queries/transfer-items.queries';
import { TRANSFER_KINDS } from '../transfer/transfer-kinds';
import { decodeCursor, page } from '../../lib/cursor';
import { BadRequest, Conflict } from '../../lib/errors';
import { normaliseRepositoryUrl } from '../../lib/repository-url';
import { slugify, uniqueSlug } from '../../lib/slug';
import { checkSpdxExpression } from '../../metadata/spdx/spdx-expression';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import type { SoftwareSort, TransferBand } from '../../db/queries/search.queries';
import type { SearchContext } from '../search/search-context';
import { searchSoftwarePage, type SearchPage } from '../search/search.service';
import { getOrganisationRow } from './organisation-lookup';
import { checkName } from './organisations.service';
import { getSoftwareRow } from './software-lookup';
import { latestPrerelease } from '../releases/releases.service';
import { listReuseCounts, softwareReuseCounts } from '../reuse/reuse-counts';
import { softwareDetail, softwareSummary, type OrganisationRef, type ReleaseRef } from './software.view';

type Localised = { de?: string | null; en?: string | null };

export type SoftwareInput = {
  name: string;
  organisationId: string;
  slug?: string;
  shortDescription?: Localised;
  longDescription?: Localised;
  categories?: string[];
  licence?: string | null;
  developmentStatus?: string | null;
  repositoryUrl?: string | null;
  active?: boolean;
};

/** Licences are stored in canonical SPDX form so filters and facets group them. */
function canonicalLicence(licence: string | null | undefined): string | null | undefined {
  if (licence === undefined || licence === null) return licence;
  const check = checkSpdxExpression(licence);
  if (!check.valid) {
    const hint = check.suggestion ? ` Did you mean "${check.suggestion}"?` : '';
    throw new BadRequest(`"${licence}" is not a valid SPDX licence expression.${hint}`, [
      { field: '/licence', message: check.error ?? 'invalid SPDX expression' },
    ]);
  }
  return check.normalised ?? licence;
}

function columns(input: Partial<SoftwareInput>): Partial<SoftwareInsert> {
  const values: Partial<SoftwareInsert> = {
    name: input.name?.trim(),
    licence: canonicalLicence(input.licence),
    developmentStatus: input.developmentStatus,
    categories: input.categories ? [...new Set(input.categories)] : undefined,
    repositoryUrl: input.repositoryUrl ? normaliseRepositoryUrl(input.repositoryUrl) : input.repositoryUrl,
    active: input.active,
  };
  if (input.shortDescription) {
    values.shortDescriptionDe = input.shortDescription.de;
    values.shortDescriptionEn = input.shortDescription.en;
  }
  if (input.longDescription) {
    values.longDescriptionDe = input.longDescription.de;
    values.longDescriptionEn = input.longDescription.en;
  }
  return values;
}

export type ListSoftwareQuery = {
  q?: string;
  sort?: SoftwareSort;
  organisation?: string[];
  licence?: string[];
  category?: string[];
  status?: string[];
  state?: string[];
  organisationKind?: string[];
  cohort?: number[];
  productionReuse?: boolean;
  /** Only entries with (true) or without (false) a confirmed reuse by another organisation. */
  confirmedReuse?: boolean;
  /** Bands of transfer-package completeness (OR within the facet). */
  transferPackage?: TransferBand[];
  /** `local` or a hub id: only records of that origin (federation). */
  origin?: string;
  facets?: boolean;
  cursor?: string;
  limit: number;
};

export type SoftwareListPage = SearchPage;

/**
 * Plain listing (slug order) on the software table; a search term, a facet filter of the
 * search document (licence, state, organisation kind, cohort, production reuse) or facet counts go
 * through the search service, which answers in the same shape: every item with its reuse counts
 * by other organisations and its provenance (the search document carries both, migration 0021).
 */
export async function listSoftwarePage(hub: SearchContext, query: ListSoftwareQuery): Promise<SoftwareListPage> {
  const { db } = hub;
  const origin = parseOrigin(query.origin);
  let organisationIds: string[] | undefined;
  if (query.organisation?.length) {
    const found = await Promise.all(query.organisation.map((o) => getOrganisationRow(db, o).then((r) => r.id, () => null)));
    organisationIds = found.filter((id): id is string => id !== null);
    if (organisationIds.length === 0) return { items: [], nextCursor: null };
  }
  if (query.sort && query.q?.trim()) {
    throw new BadRequest('Search results (q) are ordered by relevance; sort applies to the list without q.', [
      { field: 'sort', message: 'not with q' },
    ]);
  }
  // Another order than the slug reads the search document, which carries every sort key.
  const needsSearch =
    query.sort !== undefined ||
    Boolean(query.q?.trim()) ||
    query.facets === true ||
    // The licence filter is expression-aware, which only the search document knows (licence_keys).
    Boolean(query.licence?.length || query.state?.length || query.organisationKind?.length || query.cohort?.length || query.transferPackage?.length);
  if (needsSearch || query.productionReuse !== undefined || query.confirmedReuse !== undefined) {
    return searchSoftwarePage(hub, { ...query, organisationIds, origin });
  }
  const after = decodeCursor(query.cursor, 1);
  const rows = await listSoftware(db, {
    organisationIds,
    category: query.category,
    status: query.status,
    productionReuse: query.productionReuse,
    confirmedReuse: query.confirmedReuse,
    origin,
    afterSlug: after ? String(after[0]) : undefined,
    limit: query.limit + 1,
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => [row.software.slug]);
  const ids = items.map((row) => row.software.id);
  const [counts, provenance] = await Promise.all([listReuseCounts(db, ids), provenanceById(db, 'software', ids)]);
  return {
    items: items.map((row) => ({
      ...softwareSummary(row.software, { ...row.organisation, provenance: provenanceFrom(row.organisationProvenance) }),
      provenance: provenance.get(row.software.id)!, reuseCounts: counts.get(row.software.id)!,
    })),
    nextCursor,
  };
}

/** The publisher as the detail names it, with its provenance: one statement (a join to federation_record). */
async function organisationRef(db: Executor, id: string): Promise<OrganisationRef> {
  const org = await findOrganisationRef(db, id);
  return { id, slug: org?.slug ?? '', name: org?.name ?? '', provenance: provenanceFrom(org?.provenance ?? null) };
}

/**
 * The detail with its repositories and reuse counts, read on the pool: each read takes a
 * connection of its own, so all of them (organisation and prerelease may still be loading) run in
 * one round.
 */
async function detailOnPool(db: Db, row: SoftwareRow, organisation: Promise<OrganisationRef>, prerelease: Promise<ReleaseRef | null>) {
  const [repositories, reuseCounts, transfer, owner, latestPrerelease] = await Promise.all([
    listRepositoriesOfSoftware(db, row.id),
    softwareReuseCounts(db, row.id),
    transferScore(db, row.id, TRANSFER_KINDS.length),
    organisation,
    prerelease,
  ]);
  return softwareDetail(row, owner, { repositories, reuseCounts, transfer, latestPrerelease });
}

/**
 * The same detail read inside a transaction, one statement after another: a transaction is one
 * connection, pg refuses to queue statements on one (and warns), PGlite can wait for ever.
 */
async function detailInTransaction(tx: Tx, row: SoftwareRow, owner: OrganisationRef) {
  const repositories = await listRepositoriesOfSoftware(tx, row.id);
  const reuseCounts = await softwareReuseCounts(tx, row.id);
  const transfer = await transferScore(tx, row.id, TRANSFER_KINDS.length);
  return softwareDetail(row, owner, { repositories, reuseCounts, transfer, latestPrerelease: null });
}

/** The detail of an entry named by id or slug, or of its row read already (the software page's). */
export async function getSoftware(db: Db, ref: string | SoftwareRow) {
  const row = typeof ref === 'string' ? await getSoftwareRow(db, ref) : ref;
  return oneWithProvenance(db, 'software', await detailOnPool(db, row, organisationRef(db, row.organisationId), latestPrerelease(db, row.id)));
}

export async function createSoftware(db: Db, principal: Principal | null, input: SoftwareInput) {
  const organisation = await getOrganisationRow(db, input.organisationId);
  const who = requireScopeFor(principal, 'publish', organisation.id);
  checkName(input.name);
  const values = columns(input);
  return db.transaction(async (tx) => {
    if (input.slug && (await softwareSlugTaken(tx, input.slug))) throw new Conflict(`The slug "${input.slug}" is taken.`);
    const slug = input.slug ?? (await uniqueSlug(slugify(input.name), (s) => softwareSlugTaken(tx, s)));
    const row = await insertSoftware(tx, { ...values, name: input.name.trim(), slug, organisationId: organisation.id });
    await audit(tx, who, { action: 'software.create', entityType: 'software', entityId: row.id });
    return oneWithProvenance(tx, 'software', await detailInTransaction(tx, row, await organisationRef(tx, organisation.id)));
  });
}

export async function updateSoftwareById(
  db: Db,
  principal: Principal | null,
  idOrSlug: string,
  input: Partial<SoftwareInput>,
) {
  const current = await getSoftwareRow(db, idOrSlug);
  const who = requireScopeFor(principal, 'publish', current.organisationId);
  checkName(input.name);
  if (input.organisationId !== undefined) {
    const target = await getOrganisationRow(db, input.organisationId);
    if (target.id !== current.organisationId) {
      throw new BadRequest('Software cannot move to another organisation through an update.', [
        { field: '/organisationId', message: 'immutable' },
      ]);
    }
  }
  if (input.slug !== undefined && input.slug !== current.slug) {
    throw new BadRequest('The slug of a software entry cannot change: links to it would break.', [
      { field: '/slug', message: 'immutable' },
    ]);
  }
  await assertLocalRecord(db, 'software', current.id);
  const values = columns(input);
  // The owner describing an entry makes it a catalogue entry even before any crawl succeeds.
  if (input.name !== undefined || input.shortDescription !== undefined || input.longDescription !== undefined) values.listed = true;
  const detail = await db.transaction(async (tx) => {
    const row = await updateSoftware(tx, current.id, values);
    if (input.active === false) await pauseRepositoriesOfSoftware(tx, row.id, 'software-inactive');
    if (input.active === true) await resumeRepositoriesOfSoftware(tx, row.id, 'software-inactive');
    await audit(tx, who, { action: 'software.update', entityType: 'software', entityId: row.id, detail: { fields: Object.keys(input) } });
    return detailInTransaction(tx, row, await organisationRef(tx, row.organisationId));
  });
  return oneWithProvenance(db, 'software', { ...detail, latestPrerelease: await latestPrerelease(db, detail.id) });
}

/**
 * Deleting keeps the entry (reuse records and links point at it), hides it from lists and stops
 * the crawls of its repositories until it is reactivated.
 */
export async function deactivateSoftware(db: Db, principal: Principal | null, idOrSlug: string) {
  const current = await getSoftwareRow(db, idOrSlug);
  const who = requireScopeFor(principal, 'publish', current.organisationId);
  await assertLocalRecord(db, 'software', current.id);
  await db.transaction(async (tx) => {
    await updateSoftware(tx, current.id, { active: false });
    await pauseRepositoriesOfSoftware(tx, current.id, 'software-inactive');
    await audit(tx, who, { action: 'software.deactivate', entityType: 'software', entityId: current.id });
  });
}

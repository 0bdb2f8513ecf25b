import { assertLocalRecord, oneWithProvenance, parseOrigin, withProvenance } from '../federation/provenance';
import type { Db } from '../../db/client';
import {
  findOrganisationByOfficialKey,
  insertOrganisation,
  listOrganisations,
  slugTaken,
  updateOrganisation,
  type OrganisationRow,
  type OrganisationSort,
} from '../../db/queries/organisations.queries';
import type { CodeHostingAccount, OrganisationKind } from '../../db/schema/organisations';
import { decodeSortedCursor, encodeSortedCursor } from '../../lib/cursor';
import { BadRequest, Conflict, Forbidden, type FieldError } from '../../lib/errors';
import { slugify, uniqueSlug } from '../../lib/slug';
import { audit } from '../audit/audit';
import { isAdmin, requireAdmin, requireScopeFor, type Principal } from '../auth/principal';
import { officialKeyProblem, stateOfKey } from './official-key';
import { getOrganisationRow } from './organisation-lookup';

export type OrganisationInput = {
  name: string;
  kind: OrganisationKind;
  slug?: string;
  ags?: string | null;
  memberKeys?: string[];
  state?: string | null;
  website?: string | null;
  programme?: string | null;
  cohortYear?: number | null;
  codeHosting?: CodeHostingAccount[];
};

export type OrganisationView = {
  id: string;
  slug: string;
  name: string;
  kind: OrganisationKind;
  ags: string | null;
  memberKeys: string[];
  state: string | null;
  website: string | null;
  programme: string | null;
  cohortYear: number | null;
  codeHosting: CodeHostingAccount[];
  createdAt: string;
  updatedAt: string;
};

export function organisationView(row: OrganisationRow): OrganisationView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    ags: row.officialKey,
    memberKeys: row.memberKeys,
    state: row.state,
    website: row.website,
    programme: row.programme,
    cohortYear: row.cohortYear,
    codeHosting: row.codeHosting,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The schema asks for one character; a name of only spaces would be stored as "" after trimming. */
export function checkName(name: string | undefined) {
  if (name !== undefined && name.trim() === '') {
    throw new BadRequest('The name must not be blank.', [{ field: '/name', message: 'must not be blank' }]);
  }
}

function checkKeys(input: Partial<OrganisationInput>) {
  const errors: FieldError[] = [];
  if (input.ags) {
    const problem = officialKeyProblem(input.ags);
    if (problem) errors.push({ field: '/ags', message: problem });
    // A key names its state in its first two digits; a different state given with it is a typo somewhere.
    const keyState = stateOfKey(input.ags);
    if (!problem && input.state && keyState && !input.state.split(';').map((s) => s.trim()).includes(keyState)) {
      errors.push({ field: '/state', message: `official key ${input.ags} lies in ${keyState}, not in ${input.state}` });
    }
  }
  input.memberKeys?.forEach((key, i) => {
    const problem = officialKeyProblem(key);
    if (problem) errors.push({ field: `/memberKeys/${i}`, message: problem });
  });
  if (errors.length) throw new BadRequest('The official keys are not valid.', errors);
}

function columns(input: Partial<OrganisationInput>) {
  return {
    name: input.name?.trim(),
    kind: input.kind,
    officialKey: input.ags,
    memberKeys: input.memberKeys,
    state: input.state,
    website: input.website,
    programme: input.programme,
    cohortYear: input.cohortYear,
    codeHosting: input.codeHosting,
  };
}

export async function listOrganisationsPage(
  db: Db,
  query: { q?: string; kind?: string[]; state?: string[]; programme?: string[]; origin?: string; sort?: 'name' | 'newest'; cursor?: string; limit: number },
) {
  const sort: OrganisationSort = query.sort ?? 'slug';
  const origin = parseOrigin(query.origin);
  const rows = await listOrganisations(db, { ...query, origin, sort, after: decodeSortedCursor(query.cursor, sort), limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeSortedCursor(sort, { key: last.sortKey, tiebreak: last.organisation.slug }) : null;
  return { items: await withProvenance(db, 'organisation', items.map((row) => organisationView(row.organisation))), nextCursor };
}

export async function getOrganisation(db: Db, idOrSlug: string) {
  return oneWithProvenance(db, 'organisation', organisationView(await getOrganisationRow(db, idOrSlug)));
}

async function assertKeyFree(db: Db, ags: string | null | undefined, exceptId?: string) {
  if (!ags) return;
  const holder = await findOrganisationByOfficialKey(db, ags);
  if (holder && holder.id !== exceptId) {
    throw new Conflict(`The official key ${ags} already belongs to "${holder.name}" (${holder.slug}).`, holder);
  }
}

export async function createOrganisation(db: Db, principal: Principal | null, input: OrganisationInput) {
  const who = requireAdmin(principal);
  checkName(input.name);
  checkKeys(input);
  await assertKeyFree(db, input.ags);
  return db.transaction(async (tx) => {
    const slug = input.slug ?? (await uniqueSlug(slugify(input.name), (s) => slugTaken(tx, s)));
    if (input.slug && (await slugTaken(tx, input.slug))) throw new Conflict(`The slug "${input.slug}" is taken.`);
    const row = await insertOrganisation(tx, { ...columns(input), name: input.name.trim(), kind: input.kind, slug });
    await audit(tx, who, { action: 'organisation.create', entityType: 'organisation', entityId: row.id });
    return oneWithProvenance(tx, 'organisation', organisationView(row));
  });
}

export async function updateOrganisationById(
  db: Db,
  principal: Principal | null,
  idOrSlug: string,
  input: Partial<OrganisationInput>,
) {
  const current = await getOrganisationRow(db, idOrSlug);
  const who = requireScopeFor(principal, 'publish', current.id);
  // Kind, official keys and funding facts are what other municipalities rely on when they
  // judge an entry; only the registry's operators change them. Name, website and
  // code-hosting accounts are the organisation's own to keep current.
  const registryFacts = (['kind', 'ags', 'memberKeys', 'programme', 'cohortYear'] as const).filter((field) => field in input);
  if (registryFacts.length > 0 && !isAdmin(who)) {
    throw new Forbidden(`Only an admin changes ${registryFacts.join(', ')}: these are registry facts.`);
  }
  await assertLocalRecord(db, 'organisation', current.id);
  checkName(input.name);
  // A patch of only the state must still agree with the stored key, and a new key with the stored state.
  checkKeys({ ...input, state: input.state ?? current.state, ags: input.ags === undefined ? current.officialKey : input.ags });
  await assertKeyFree(db, input.ags, current.id);
  if (input.slug !== undefined && input.slug !== current.slug) {
    throw new BadRequest('The slug of an organisation cannot change: links to it would break.', [
      { field: '/slug', message: 'immutable' },
    ]);
  }
  return db.transaction(async (tx) => {
    const row = await updateOrganisation(tx, current.id, columns(input));
    await audit(tx, who, {
      action: 'organisation.update',
      entityType: 'organisation',
      entityId: row.id,
      detail: { fields: Object.keys(input) },
    });
    return oneWithProvenance(tx, 'organisation', organisationView(row));
  });
}

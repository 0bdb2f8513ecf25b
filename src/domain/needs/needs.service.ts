import type { Db } from '../../db/client';
import {
  deleteSupporter,
  findNeed,
  insertNeed,
  insertSupporter,
  listMatches,
  listNeeds,
  needsMatchingSoftwareRead,
  listSupporters,
  updateNeed,
} from '../../db/queries/needs.queries';
import { mapRead, readOne } from '../../db/json-read';
import type { BudgetBand, NeedStatus } from '../../db/schema/needs';
import { decodeCursor, page } from '../../lib/cursor';
import { BadRequest, Forbidden, NotFound } from '../../lib/errors';
import { refused } from '../../lib/refusals';
import { isUuid } from '../../lib/slug';
import { matchNeedsJob } from '../../jobs/match-needs.job';
import { audit } from '../audit/audit';
import { requirePrincipal, requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import { softwareOf, type SoftwareRef } from '../catalogue/software-lookup';
import type { HubContext } from '../context';

export type NeedInput = {
  title: string;
  description: string;
  categories?: string[];
  deadline?: string | null;
  budgetBand?: BudgetBand | null;
  /** Only the admin posts for another organisation. */
  organisationId?: string;
};

export type NeedChanges = Partial<Omit<NeedInput, 'organisationId'>> & { status?: NeedStatus };

/** A need is the organisation's as a whole: its publish or its reuse token may act for it. */
function requireOrganisationToken(principal: Principal | null, organisationId: string): Principal {
  const who = requirePrincipal(principal);
  if (who.kind === 'token' && !who.scopes.includes('publish') && !who.scopes.includes('reuse')) {
    throw new Forbidden('This action needs a token with the publish or the reuse scope.');
  }
  return requireScopeFor(principal, who.kind === 'token' && who.scopes.includes('publish') ? 'publish' : 'reuse', organisationId);
}

async function actingOrganisation(db: Db, principal: Principal | null, requested: string | undefined, field: string) {
  const who = requirePrincipal(principal);
  if (requested !== undefined) return getOrganisationRow(db, requested);
  if (who.kind === 'token') return getOrganisationRow(db, who.organisationId);
  throw new BadRequest('The bootstrap admin must name the organisation.', [{ field, message: 'required for the admin token' }]);
}

type ListRow = NonNullable<Awaited<ReturnType<typeof findNeed>>>;

function needSummary({ need, organisation, supporterCount, matchCount }: ListRow) {
  return {
    id: need.id,
    organisation,
    title: need.title,
    description: need.description,
    categories: need.categories,
    deadline: need.deadline,
    budgetBand: need.budgetBand,
    status: need.status,
    supporterCount: Number(supporterCount),
    matchCount: Number(matchCount),
    matchedAt: need.matchedAt?.toISOString() ?? null,
    createdAt: need.createdAt.toISOString(),
    updatedAt: need.updatedAt.toISOString(),
  };
}

async function needRow(db: Db, id: string) {
  const row = isUuid(id) ? await findNeed(db, id.toLowerCase()) : null;
  if (!row) throw new NotFound('Need', id);
  return row;
}

/** A need with who joined it and the software the hub found for it. */
export async function getNeed(db: Db, id: string) {
  const row = await needRow(db, id);
  const [supporters, matches] = await Promise.all([listSupporters(db, row.need.id), listMatches(db, row.need.id)]);
  return {
    ...needSummary(row),
    supporters: supporters.map((s) => ({ organisation: s.organisation, joinedAt: s.joinedAt.toISOString() })),
    matches: matches.map((m) => ({
      software: { ...m.software, organisation: m.organisation },
      rank: m.rank,
      score: m.score,
      explanation: m.explanation,
      reusedBy: m.reusedBy.map((r) => ({ organisation: r.organisation, status: r.status, verification: r.verification })),
    })),
  };
}

/** Needs (not closed) the hub matched to this software: "we need X" answered by this entry. */
export async function needsMatchingSoftware(db: Db, ref: SoftwareRef, limit: number) {
  return readOne(db, matchingNeedsRead, { softwareId: (await softwareOf(db, ref)).id, limit });
}

/** The open needs matched to one software entry (placeholders softwareId and limit), as a read that travels with the software page's other lists. */
export const matchingNeedsRead = mapRead(needsMatchingSoftwareRead, (rows) => rows.map(needSummary));

export async function listNeedsPage(
  db: Db,
  query: { status?: NeedStatus[]; category?: string[]; organisation?: string[]; q?: string; cursor?: string; limit: number },
) {
  let organisationIds: string[] | undefined;
  if (query.organisation?.length) {
    const found = await Promise.all(query.organisation.map((o) => getOrganisationRow(db, o).then((r) => r.id, () => null)));
    organisationIds = found.filter((id): id is string => id !== null);
    if (organisationIds.length === 0) return { items: [], nextCursor: null };
  }
  const after = decodeCursor(query.cursor, 2);
  if (after && (typeof after[0] !== 'string' || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== 'string' || !isUuid(after[1]))) {
    throw new BadRequest('The cursor is not one this API handed out.', [{ field: 'cursor', message: 'invalid cursor' }]);
  }
  const rows = await listNeeds(db, {
    status: query.status,
    category: query.category,
    organisationIds,
    q: query.q,
    after: after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined,
    limit: query.limit + 1,
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => [row.need.createdAt.toISOString(), row.need.id]);
  return { items: items.map(needSummary), nextCursor };
}

/** Posts a need and queues its first matching (after the commit, so the job finds it). */
export async function postNeed(hub: HubContext, principal: Principal | null, input: NeedInput) {
  const organisation = await actingOrganisation(hub.db, principal, input.organisationId, '/organisationId');
  const who = requireOrganisationToken(principal, organisation.id);
  const id = await hub.db.transaction(async (tx) => {
    const { id } = await insertNeed(tx, {
      organisationId: organisation.id,
      title: input.title.trim(),
      description: input.description,
      categories: [...new Set(input.categories ?? [])],
      deadline: input.deadline ?? null,
      budgetBand: input.budgetBand ?? null,
    });
    await audit(tx, who, { action: 'need.post', entityType: 'need', entityId: id });
    return id;
  });
  await hub.queue.enqueue(matchNeedsJob, { needId: id });
  return getNeed(hub.db, id);
}

export async function changeNeed(hub: HubContext, principal: Principal | null, id: string, changes: NeedChanges) {
  const row = await needRow(hub.db, id);
  const who = requireOrganisationToken(principal, row.need.organisationId);
  const { title, ...rest } = changes;
  await hub.db.transaction(async (tx) => {
    await updateNeed(tx, row.need.id, { ...rest, ...(title !== undefined ? { title: title.trim() } : {}) });
    await audit(tx, who, { action: 'need.update', entityType: 'need', entityId: row.need.id, detail: { fields: Object.keys(changes) } });
  });
  // New words, new matches: the text changed, so the stored matches may no longer fit.
  if (changes.title !== undefined || changes.description !== undefined || changes.categories !== undefined) {
    await hub.queue.enqueue(matchNeedsJob, { needId: row.need.id });
  }
  return getNeed(hub.db, row.need.id);
}

/** "We need this too": another organisation joins the need. */
export async function joinNeed(db: Db, principal: Principal | null, input: { need: string; organisationId?: string }) {
  const row = await needRow(db, input.need);
  const organisation = await actingOrganisation(db, principal, input.organisationId, '/organisationId');
  const who = requireOrganisationToken(principal, organisation.id);
  if (organisation.id === row.need.organisationId) throw refused(409, 'need.own_need', 'The organisation posted this need; it supports it already.');
  if (row.need.status === 'closed') throw refused(409, 'need.closed', 'This need is closed; it takes no new supporters.');
  await db.transaction(async (tx) => {
    if (!(await insertSupporter(tx, { needId: row.need.id, organisationId: organisation.id }))) {
      throw refused(409, 'need.already_joined', 'This organisation has joined the need already.');
    }
    await audit(tx, who, { action: 'need.join', entityType: 'need', entityId: row.need.id, detail: { organisationId: organisation.id } });
  });
  return getNeed(db, row.need.id);
}

export async function leaveNeed(db: Db, principal: Principal | null, input: { need: string; organisationId: string }) {
  const row = await needRow(db, input.need);
  const organisation = await getOrganisationRow(db, input.organisationId);
  const who = requireOrganisationToken(principal, organisation.id);
  await db.transaction(async (tx) => {
    if (!(await deleteSupporter(tx, { needId: row.need.id, organisationId: organisation.id }))) {
      throw refused(404, 'need.not_joined', 'This organisation has not joined the need.');
    }
    await audit(tx, who, { action: 'need.leave', entityType: 'need', entityId: row.need.id, detail: { organisationId: organisation.id } });
  });
}

import type { Db } from '../../db/client';
import {
  deleteReuse,
  findReuse,
  insertReuse,
  listReuses,
  updateReuse,
} from '../../db/queries/reuses.queries';
import type { ReuseStatus } from '../../db/schema/reuses';
import { BadRequest, Conflict, NotFound } from '../../lib/errors';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { isAdmin, requirePrincipal, requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import { getSoftwareRow } from '../catalogue/software-lookup';
import { recordEvent } from '../webhooks/events';

export type ReuseInput = {
  status: ReuseStatus;
  versionInUse?: string | null;
  since?: string | null;
  contact?: string | null;
  notes?: string | null;
  /** Only an admin records reuse for another organisation; a reuse token speaks for its own. */
  organisationId?: string;
};

type Joined = NonNullable<Awaited<ReturnType<typeof findReuse>>>;

function reuseView(row: Joined) {
  return {
    id: row.reuse.id,
    software: row.software,
    organisation: row.organisation,
    status: row.reuse.status,
    versionInUse: row.reuse.versionInUse,
    since: row.reuse.since,
    contact: row.reuse.contact,
    notes: row.reuse.notes,
    createdAt: row.reuse.createdAt.toISOString(),
    updatedAt: row.reuse.updatedAt.toISOString(),
  };
}

export async function listSoftwareReuses(db: Db, idOrSlug: string) {
  const software = await getSoftwareRow(db, idOrSlug);
  return (await listReuses(db, { softwareId: software.id })).map(reuseView);
}

export async function listOrganisationReuses(db: Db, idOrSlug: string) {
  const organisation = await getOrganisationRow(db, idOrSlug);
  return (await listReuses(db, { organisationId: organisation.id })).map(reuseView);
}

async function reusingOrganisation(db: Db, principal: Principal | null, requested: string | undefined) {
  const who = requirePrincipal(principal);
  if (requested !== undefined) return (await getOrganisationRow(db, requested)).id;
  if (who.kind === 'token') return who.organisationId;
  throw new BadRequest('The bootstrap admin must name the reusing organisation.', [
    { field: '/organisationId', message: 'required for the admin token' },
  ]);
}

export async function recordReuse(db: Db, principal: Principal | null, softwareIdOrSlug: string, input: ReuseInput) {
  const software = await getSoftwareRow(db, softwareIdOrSlug);
  const organisationId = await reusingOrganisation(db, principal, input.organisationId);
  const who = requireScopeFor(principal, 'reuse', organisationId);
  return db.transaction(async (tx) => {
    const existing = await findReuse(tx, { softwareId: software.id, organisationId });
    if (existing) {
      throw new Conflict('This organisation has already recorded its reuse of this software; update that record instead.', existing.reuse);
    }
    const { id } = await insertReuse(tx, {
      softwareId: software.id,
      organisationId,
      status: input.status,
      versionInUse: input.versionInUse ?? null,
      since: input.since ?? null,
      contact: input.contact ?? null,
      notes: input.notes ?? null,
    });
    await audit(tx, who, { action: 'reuse.record', entityType: 'reuse', entityId: id, detail: { status: input.status } });
    const view = reuseView((await findReuse(tx, { id }))!);
    // To the owner of the software: someone runs it now.
    await recordEvent(tx, { type: 'reuse.recorded', organisationId: software.organisationId, softwareId: software.id, data: { reuse: view } });
    return view;
  });
}

async function ownReuse(db: Db, principal: Principal | null, softwareIdOrSlug: string, reuseId: string) {
  const software = await getSoftwareRow(db, softwareIdOrSlug);
  const row = isUuid(reuseId) ? await findReuse(db, { id: reuseId.toLowerCase() }) : null;
  if (!row || row.software.id !== software.id) throw new NotFound('Reuse record', reuseId);
  const who = requireScopeFor(principal, 'reuse', row.organisation.id);
  return { row, who, admin: isAdmin(who) };
}

export async function updateReuseRecord(
  db: Db,
  principal: Principal | null,
  input: { software: string; reuseId: string; changes: Partial<Omit<ReuseInput, 'organisationId'>> },
) {
  const { row, who } = await ownReuse(db, principal, input.software, input.reuseId);
  return db.transaction(async (tx) => {
    await updateReuse(tx, row.reuse.id, input.changes);
    await audit(tx, who, { action: 'reuse.update', entityType: 'reuse', entityId: row.reuse.id, detail: { fields: Object.keys(input.changes) } });
    return reuseView((await findReuse(tx, { id: row.reuse.id }))!);
  });
}

export async function withdrawReuse(db: Db, principal: Principal | null, input: { software: string; reuseId: string }) {
  const { row, who } = await ownReuse(db, principal, input.software, input.reuseId);
  await db.transaction(async (tx) => {
    await deleteReuse(tx, row.reuse.id);
    await audit(tx, who, { action: 'reuse.withdraw', entityType: 'reuse', entityId: row.reuse.id });
  });
}

import type { Db, Executor } from '../../db/client';
import { findReuse, insertReuse, insertReuseEvent, listReuseEvents, listReuses, reusesOfSoftwareRead, updateReuse } from '../../db/queries/reuses.queries';
import { mapRead } from '../../db/json-read';
import type { ReuseEventKind, ReuseStatus } from '../../db/schema/reuses';
import { BadRequest, NotFound } from '../../lib/errors';
import { conflictWith, refused } from '../../lib/refusals';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { isAdmin, requirePrincipal, requireScopeFor, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import { getSoftwareRow, softwareOf, type SoftwareRef } from '../catalogue/software-lookup';
import { assertLocalRecord, oneWithProvenance, parseOrigin, provenanceFrom, withProvenance } from '../federation/provenance';
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

export type JoinedReuse = NonNullable<Awaited<ReturnType<typeof findReuse>>>;

function reuseView(row: JoinedReuse) {
  const { reuse } = row;
  return {
    id: reuse.id,
    // Each reference says where its record comes from: a local reuse of mirrored software, say.
    software: { id: row.software.id, slug: row.software.slug, name: row.software.name, provenance: provenanceFrom(row.softwareProvenance) },
    organisation: { ...row.organisation, provenance: provenanceFrom(row.organisationProvenance) },
    status: reuse.status,
    versionInUse: reuse.versionInUse,
    since: reuse.since,
    contact: reuse.contact,
    notes: reuse.notes,
    verification: {
      state: reuse.verification,
      by: reuse.verifiedBy as 'producer' | 'admin' | null,
      at: reuse.verifiedAt?.toISOString() ?? null,
      reason: reuse.disputeReason,
    },
    byOtherOrganisation: row.byOther,
    withdrawnAt: reuse.withdrawnAt?.toISOString() ?? null,
    createdAt: reuse.createdAt.toISOString(),
    updatedAt: reuse.updatedAt.toISOString(),
  };
}

/** `query.origin` (local or a hub id): only the reuse records of that origin. */
export async function listSoftwareReuses(db: Db, ref: SoftwareRef, query: { origin?: string } = {}) {
  const origin = parseOrigin(query.origin);
  const software = await softwareOf(db, ref);
  return withProvenance(db, 'reuse', (await listReuses(db, { softwareId: software.id, origin })).map(reuseView));
}

/** The reuses of one software entry (placeholder softwareId) with their provenance, as a read that travels with the software page's other lists. */
export const softwareReusesRead = mapRead(reusesOfSoftwareRead, (rows) => rows.map((row) => ({ ...reuseView(row), provenance: provenanceFrom(row.provenance) })));

export type ReuseView = ReturnType<typeof reuseView>;

/** `query.origin` as in listSoftwareReuses. */
export async function listOrganisationReuses(db: Db, idOrSlug: string, query: { origin?: string } = {}) {
  const origin = parseOrigin(query.origin);
  const organisation = await getOrganisationRow(db, idOrSlug);
  return withProvenance(db, 'reuse', (await listReuses(db, { organisationId: organisation.id, origin })).map(reuseView));
}

async function reusingOrganisation(db: Db, principal: Principal | null, requested: string | undefined) {
  const who = requirePrincipal(principal);
  if (requested !== undefined) return (await getOrganisationRow(db, requested)).id;
  if (who.kind === 'token') return who.organisationId;
  throw new BadRequest('The bootstrap admin must name the reusing organisation.', [
    { field: '/organisationId', message: 'required for the admin token' },
  ]);
}

/**
 * Who acted, as the public history shows it: a role, not a token id (the audit log keeps those).
 * The admin token is the hub operator acting for someone.
 */
function roleOf(principal: Principal, producerId: string): string {
  if (isAdmin(principal)) return 'admin';
  return principal.kind === 'token' && principal.organisationId === producerId ? 'producer' : 'reusing organisation';
}

async function event(
  tx: Executor,
  principal: Principal,
  values: { reuseId: string; producerId: string; kind: ReuseEventKind; status: ReuseStatus; reason?: string | null },
) {
  const { producerId, ...rest } = values;
  await insertReuseEvent(tx, { ...rest, actor: roleOf(principal, producerId) });
}

/**
 * Records a reuse; a record the organisation withdrew earlier is taken up again (same id, its
 * history continues, the producer's earlier confirmation or dispute no longer applies).
 */
export async function recordReuse(db: Db, principal: Principal | null, softwareIdOrSlug: string, input: ReuseInput) {
  const software = await getSoftwareRow(db, softwareIdOrSlug);
  const organisationId = await reusingOrganisation(db, principal, input.organisationId);
  const who = requireScopeFor(principal, 'reuse', organisationId);
  // A reuse record follows the hub of the reusing organisation (design: Peers and authority); a
  // local organisation may record its reuse of software mirrored from elsewhere.
  await assertLocalRecord(db, 'organisation', organisationId, (hub) => `This organisation comes from the hub ${hub}: its reuse is recorded there (Diese Organisation stammt vom Hub ${hub}; ihre Nachnutzung wird dort erfasst).`);
  return db.transaction(async (tx) => {
    const existing = await findReuse(tx, { softwareId: software.id, organisationId });
    const values = {
      status: input.status,
      versionInUse: input.versionInUse ?? null,
      since: input.since ?? null,
      contact: input.contact ?? null,
      notes: input.notes ?? null,
    };
    let id: string;
    if (existing && existing.reuse.withdrawnAt === null) {
      throw conflictWith('reuse.already_recorded', 'This organisation has already recorded its reuse of this software; update that record instead.', existing.reuse);
    } else if (existing) {
      id = existing.reuse.id;
      await updateReuse(tx, id, { ...values, withdrawnAt: null, verification: 'self-declared', verifiedBy: null, verifiedAt: null, disputeReason: null });
      await event(tx, who, { reuseId: id, producerId: software.organisationId, kind: 'recorded-again', status: input.status });
    } else {
      ({ id } = await insertReuse(tx, { ...values, softwareId: software.id, organisationId }));
      await event(tx, who, { reuseId: id, producerId: software.organisationId, kind: 'recorded', status: input.status });
    }
    await audit(tx, who, { action: 'reuse.record', entityType: 'reuse', entityId: id, detail: { status: input.status, again: existing !== null } });
    const view = reuseView((await findReuse(tx, { id }))!);
    // To the owner of the software: someone runs it now.
    await recordEvent(tx, { type: 'reuse.recorded', organisationId: software.organisationId, softwareId: software.id, data: { reuse: view } });
    return oneWithProvenance(tx, 'reuse', view);
  });
}

export async function reuseOf(db: Db, softwareIdOrSlug: string, reuseId: string) {
  const software = await getSoftwareRow(db, softwareIdOrSlug);
  const row = isUuid(reuseId) ? await findReuse(db, { id: reuseId.toLowerCase() }) : null;
  if (!row || row.software.id !== software.id) throw new NotFound('Reuse record', reuseId);
  return row;
}

/** The reusing organisation (reuse token) or the admin; the producer is told what it may do instead. */
async function ownReuse(db: Db, principal: Principal | null, softwareIdOrSlug: string, reuseId: string) {
  const row = await reuseOf(db, softwareIdOrSlug, reuseId);
  const caller = requirePrincipal(principal);
  if (caller.kind === 'token' && caller.organisationId === row.software.organisationId && caller.organisationId !== row.organisation.id) {
    throw refused(403, 'reuse.not_owner', 'Only the reusing organisation changes or withdraws its reuse record; the producer confirms or disputes it.');
  }
  const who = requireScopeFor(principal, 'reuse', row.organisation.id);
  await assertLocalRecord(db, 'reuse', row.reuse.id);
  return { row, who, admin: isAdmin(who) };
}

function refuseWithdrawn(row: JoinedReuse) {
  if (row.reuse.withdrawnAt !== null) throw refused(409, 'reuse.withdrawn', 'This reuse record was withdrawn; record the reuse again to take it up.');
}

export async function updateReuseRecord(
  db: Db,
  principal: Principal | null,
  input: { software: string; reuseId: string; changes: Partial<Omit<ReuseInput, 'organisationId'>> },
) {
  const { row, who } = await ownReuse(db, principal, input.software, input.reuseId);
  refuseWithdrawn(row);
  return db.transaction(async (tx) => {
    await updateReuse(tx, row.reuse.id, input.changes);
    if (input.changes.status !== undefined && input.changes.status !== row.reuse.status) {
      await event(tx, who, { reuseId: row.reuse.id, producerId: row.software.organisationId, kind: 'status-changed', status: input.changes.status });
    }
    await audit(tx, who, { action: 'reuse.update', entityType: 'reuse', entityId: row.reuse.id, detail: { fields: Object.keys(input.changes) } });
    return oneWithProvenance(tx, 'reuse', reuseView((await findReuse(tx, { id: row.reuse.id }))!));
  });
}

/** Withdrawing keeps the record, marked: its history and experience reports stay; it counts nowhere. */
export async function withdrawReuse(db: Db, principal: Principal | null, input: { software: string; reuseId: string }) {
  const { row, who } = await ownReuse(db, principal, input.software, input.reuseId);
  if (row.reuse.withdrawnAt !== null) throw refused(409, 'reuse.already_withdrawn', 'This reuse record is withdrawn already.');
  await db.transaction(async (tx) => {
    await updateReuse(tx, row.reuse.id, { withdrawnAt: new Date() });
    await event(tx, who, { reuseId: row.reuse.id, producerId: row.software.organisationId, kind: 'withdrawn', status: row.reuse.status });
    await audit(tx, who, { action: 'reuse.withdraw', entityType: 'reuse', entityId: row.reuse.id });
  });
}

/**
 * The producer's word on a reuse: confirmed, or disputed with a reason. Both stay visible on
 * the record and in its history; a later confirmation replaces a dispute and vice versa.
 */
export async function verifyReuse(
  db: Db,
  principal: Principal | null,
  input: { software: string; reuseId: string; verdict: 'confirmed' | 'disputed'; reason?: string },
) {
  const row = await reuseOf(db, input.software, input.reuseId);
  const caller = requirePrincipal(principal);
  if (caller.kind === 'token' && caller.organisationId === row.organisation.id && caller.organisationId !== row.software.organisationId) {
    throw refused(403, 'reuse.not_producer', "Only the producer (the software's owner, publish token) confirms or disputes a reuse record.");
  }
  const who = requireScopeFor(principal, 'publish', row.software.organisationId);
  await assertLocalRecord(db, 'reuse', row.reuse.id);
  refuseWithdrawn(row);
  if (row.reuse.verification === input.verdict) {
    throw refused(409, `reuse.already_${input.verdict}`, `This reuse record is ${input.verdict} already.`);
  }
  return db.transaction(async (tx) => {
    await updateReuse(tx, row.reuse.id, {
      verification: input.verdict,
      verifiedBy: roleOf(who, row.software.organisationId),
      verifiedAt: new Date(),
      disputeReason: input.verdict === 'disputed' ? (input.reason ?? null) : null,
    });
    await event(tx, who, { reuseId: row.reuse.id, producerId: row.software.organisationId, kind: input.verdict, status: row.reuse.status, reason: input.reason ?? null });
    await audit(tx, who, {
      action: input.verdict === 'confirmed' ? 'reuse.confirm' : 'reuse.dispute',
      entityType: 'reuse',
      entityId: row.reuse.id,
      detail: input.reason ? { reason: input.reason } : undefined,
    });
    const view = reuseView((await findReuse(tx, { id: row.reuse.id }))!);
    // To the producer's own subscriptions: its confirmation or dispute, as a record for its tools.
    await recordEvent(tx, { type: input.verdict === 'confirmed' ? 'reuse.confirmed' : 'reuse.disputed', organisationId: row.software.organisationId, softwareId: row.software.id, data: { reuse: view } });
    return oneWithProvenance(tx, 'reuse', view);
  });
}

/** Every change of the record with its date, oldest first. */
export async function reuseHistory(db: Db, input: { software: string; reuseId: string }) {
  const row = await reuseOf(db, input.software, input.reuseId);
  const events = await listReuseEvents(db, row.reuse.id);
  return {
    reuse: await oneWithProvenance(db, 'reuse', reuseView(row)),
    items: events.map((e) => ({ kind: e.kind, status: e.status, reason: e.reason, actor: e.actor as 'reusing organisation' | 'producer' | 'admin', at: e.at.toISOString() })),
  };
}



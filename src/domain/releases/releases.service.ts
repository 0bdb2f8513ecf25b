import type { Db, Executor } from '../../db/client';
import {
  findRelease,
  findReleasesByIds,
  insertRelease,
  listReleaseKeys,
  releaseKeysRead,
  updateRelease,
  type ReleaseRow,
} from '../../db/queries/releases.queries';
import { updateSoftware } from '../../db/queries/software.queries';
import { mapRead } from '../../db/json-read';
import { decodeCursor, page } from '../../lib/cursor';
import { BadRequest } from '../../lib/errors';
import { audit } from '../audit/audit';
import { requireScopeFor, type Principal } from '../auth/principal';
import { getSoftwareRow, softwareOf, type SoftwareRef } from '../catalogue/software-lookup';
import { assertLocalRecord, oneWithProvenance, parseOrigin, provenanceFrom, withProvenance } from '../federation/provenance';
import { recordEvent } from '../webhooks/events';
import { ReleaseVersionConflict } from './release-errors';
import { compareReleases, isPlausibleVersion, latestReleases, normaliseVersion } from './version';

export type ReleaseInput = { version: string; date?: string | null; notes?: string | null; url?: string | null };

export function releaseView(row: ReleaseRow) {
  return {
    id: row.id,
    softwareId: row.softwareId,
    version: row.version,
    date: row.releasedAt?.toISOString() ?? null,
    notes: row.notes,
    url: row.url,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * One page of a software entry's releases, newest first (semantic precedence, see
 * compareReleases). That order is not one SQL can sort by, so the page is cut from the sort keys
 * of all releases (version and date: a few dozen bytes each, 5,000 tags ≈ 250 KB read) and only
 * the page's rows are read in full. The cursor is the last item's key; compareReleases is a total
 * order, so a page after it starts at the right place even if releases were added meanwhile.
 * `origin` (local or a hub id) keeps only the releases of that origin, before the page is cut.
 */
export async function listSoftwareReleases(db: Db, ref: SoftwareRef, query: { origin?: string; cursor?: string; limit: number }) {
  const origin = parseOrigin(query.origin);
  const software = await softwareOf(db, ref);
  const after = decodeCursor(query.cursor, 2);
  const keys = (await listReleaseKeys(db, { softwareId: software.id, origin })).sort(compareReleases);
  const from = after ? keyOf(after) : null;
  const rest = from ? keys.filter((key) => compareReleases(from, key) < 0) : keys;
  const { items, nextCursor } = page(rest, query.limit, (key) => [key.version, key.releasedAt?.getTime() ?? -1]);
  const rows = new Map((await findReleasesByIds(db, items.map((key) => key.id))).map((row) => [row.id, row]));
  return { items: await withProvenance(db, 'release', items.map((key) => releaseView(rows.get(key.id)!))), nextCursor };
}

/**
 * Every release newest first with what a list of versions shows (version, date, link, where it
 * comes from), as a read (placeholder softwareId) that travels with the software page's other
 * lists; the full rows are in listSoftwareReleases.
 */
export const releasesNewestFirstRead = mapRead(releaseKeysRead, (keys) =>
  keys
    .sort(compareReleases)
    .map((key) => ({ id: key.id, version: key.version, date: key.releasedAt?.toISOString() ?? null, url: key.url, provenance: provenanceFrom(key.provenance) })),
);

function keyOf([version, time]: (string | number)[]) {
  return { version: String(version), releasedAt: typeof time === 'number' && time >= 0 ? new Date(time) : null };
}

/**
 * Keeps software.latest_release_* in step; called in the transaction that changed releases.
 * The latest release is the latest stable one: a release candidate is not what people install.
 */
export async function refreshLatestRelease(tx: Executor, softwareId: string) {
  const { stable } = latestReleases(await listReleaseKeys(tx, { softwareId }));
  await updateSoftware(tx, softwareId, {
    latestReleaseVersion: stable?.version ?? null,
    latestReleaseAt: stable?.releasedAt ?? null,
  });
}

/**
 * The newest prerelease while it is newer than the latest stable release, for the software
 * entry. Read when the entry is shown rather than stored: it changes only with releases and
 * an entry has few enough of them to read their versions.
 */
export async function latestPrerelease(db: Executor, softwareId: string) {
  const { prerelease } = latestReleases(await listReleaseKeys(db, { softwareId }));
  return prerelease ? { version: prerelease.version, date: prerelease.releasedAt?.toISOString() ?? null } : null;
}

function parseDate(date: string | null | undefined): Date | null {
  if (!date) return null;
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) {
    throw new BadRequest(`"${date}" is not a date.`, [{ field: '/date', message: 'must be an ISO 8601 date' }]);
  }
  return parsed;
}

/**
 * What a push states that contradicts a published release. The date is not compared: a
 * re-run pipeline that dates the release by its clock must not fail, and the first date
 * stays (the release happened once). Notes and URL are what people read: another value
 * for a published version is a mistake worth a 409. A field the push leaves out states nothing.
 */
function contradictions(row: ReleaseRow, wanted: { notes: string | null; url: string | null }): string[] {
  const differing: string[] = [];
  if (wanted.notes !== null && row.notes !== wanted.notes) differing.push('notes');
  if (wanted.url !== null && row.url !== wanted.url) differing.push('url');
  return differing;
}

/**
 * CI pipelines push releases. Idempotent on the version: the same payload again (or one
 * that differs only in its date) is 200 with the existing release; other notes or another
 * URL for a published version is 409 naming them.
 * A release the crawler found from a tag is completed by the push (notes, URL, date).
 */
export async function pushRelease(db: Db, principal: Principal | null, idOrSlug: string, input: ReleaseInput) {
  const software = await getSoftwareRow(db, idOrSlug);
  const who = requireScopeFor(principal, 'publish', software.organisationId);
  // A release follows its software's origin (design: Peers and authority): it is published there.
  await assertLocalRecord(db, 'software', software.id, (hub) => `This software comes from the hub ${hub}: its releases are published there (Diese Software stammt vom Hub ${hub}; ihre Releases werden dort veröffentlicht).`);
  const version = normaliseVersion(input.version);
  if (version === '') throw new BadRequest('The version is empty.', [{ field: '/version', message: 'must not be empty' }]);
  if (!isPlausibleVersion(version)) {
    throw new BadRequest(`"${input.version}" is not a version number.`, [
      { field: '/version', message: "must be a version number: a digit first (after an optional v), then letters, digits, '.', '+', '-' or '_'" },
    ]);
  }
  const wanted = { releasedAt: parseDate(input.date), notes: input.notes ?? null, url: input.url ?? null };

  return db.transaction(async (tx) => {
    const existing = await findRelease(tx, { softwareId: software.id, version });
    if (existing && existing.source === 'api') {
      const differing = contradictions(existing, wanted);
      if (differing.length > 0) throw new ReleaseVersionConflict(version, differing);
      return { created: false, release: await oneWithProvenance(tx, 'release', releaseView(existing)) };
    }
    const row = existing
      ? await updateRelease(tx, existing.id, {
          source: 'api',
          notes: wanted.notes ?? existing.notes,
          url: wanted.url ?? existing.url,
          releasedAt: wanted.releasedAt ?? existing.releasedAt,
        })
      : await insertRelease(tx, {
          softwareId: software.id,
          version,
          ...wanted,
          releasedAt: wanted.releasedAt ?? new Date(),
          source: 'api',
        });
    await refreshLatestRelease(tx, software.id);
    await audit(tx, who, { action: 'release.publish', entityType: 'release', entityId: row.id, detail: { version } });
    // A release the crawler found earlier was announced then; completing it announces nothing new.
    if (existing === null) await announceRelease(tx, software, releaseView(row));
    return { created: existing === null, release: await oneWithProvenance(tx, 'release', releaseView(row)) };
  });
}

/** The release.published event (webhooks): to the owner and to every organisation reusing the software. */
export async function announceRelease(
  tx: Executor,
  software: { id: string; slug: string; name: string; organisationId: string },
  release: ReturnType<typeof releaseView>,
) {
  await recordEvent(tx, {
    type: 'release.published',
    organisationId: software.organisationId,
    softwareId: software.id,
    data: { software: { id: software.id, slug: software.slug, name: software.name }, release },
  });
}

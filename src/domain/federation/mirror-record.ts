import { CODE_HOSTING_KINDS, ORGANISATION_KINDS, REUSE_STATUSES, REUSE_VERIFICATIONS, type FederatedType } from '../../db/schema';
import type { MirrorRow } from '../../db/queries/federation-mirror.queries';
import type { ChangeEntry } from './change-entry';

/**
 * A peer's record body (src/domain/federation/README.md, "Record bodies") as the row of our own
 * table. The local row id is the uuid of the global id, so references (a software's
 * organisation, a release's software) are the uuids of the global ids they name. Fields the body
 * does not carry (webhook secrets, README HTML, forge facts) stay empty: a peer renders and
 * crawls itself. Anything not of the expected shape throws RecordShapeError: the entry goes to
 * quarantine as schema-invalid instead of half a row.
 */
export class RecordShapeError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The uuid at the end of a global id (`{hub}/id/{type}/{uuid}`). */
export function uuidOf(globalId: string, type?: string): string {
  const match = /\/id\/([a-z]+)\/([^/]+)$/.exec(globalId);
  if (!match || !UUID.test(match[2]!) || (type !== undefined && match[1] !== type)) throw new RecordShapeError(`${globalId} is not a ${type ?? 'record'} id`);
  return match[2]!.toLowerCase();
}

function text(record: Record<string, unknown>, field: string, required: true): string;
function text(record: Record<string, unknown>, field: string, required?: false): string | null;
function text(record: Record<string, unknown>, field: string, required = false): string | null {
  const value = record[field];
  if (value === undefined || value === null) {
    if (required) throw new RecordShapeError(`record.${field} is missing`);
    return null;
  }
  // 100 KB for one text field (a README); the entry cap bounds the sum anyway.
  if (typeof value !== 'string' || value.length > 100_000) throw new RecordShapeError(`record.${field} is not a string`);
  return value;
}

function texts(record: Record<string, unknown>, field: string): string[] {
  const value = record[field] ?? [];
  if (!Array.isArray(value) || value.length > 200 || !value.every((item) => typeof item === 'string')) throw new RecordShapeError(`record.${field} is not a list of strings`);
  return value as string[];
}

function localized(record: Record<string, unknown>, field: string): { de: string | null; en: string | null } {
  const value = record[field];
  if (value === undefined || value === null) return { de: null, en: null };
  if (typeof value !== 'object' || Array.isArray(value)) throw new RecordShapeError(`record.${field} is not {de, en}`);
  return { de: text(value as Record<string, unknown>, 'de'), en: text(value as Record<string, unknown>, 'en') };
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], field: string): T {
  if (value === null || !allowed.includes(value as T)) throw new RecordShapeError(`record.${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function timestamp(record: Record<string, unknown>, field: string): Date | null {
  const value = text(record, field);
  if (value === null) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new RecordShapeError(`record.${field} is not a time`);
  return at;
}

export function mirrorRow(entry: ChangeEntry): MirrorRow {
  const record = entry.record ?? {};
  const id = uuidOf(entry.id, entry.type);
  switch (entry.type) {
    case 'organisation': {
      const cohortYear = record.cohortYear ?? null;
      if (cohortYear !== null && !Number.isInteger(cohortYear)) throw new RecordShapeError('record.cohortYear is not a year');
      const codeHosting = record.codeHosting ?? [];
      if (!Array.isArray(codeHosting) || !codeHosting.every((item) => typeof item?.url === 'string' && CODE_HOSTING_KINDS.includes(item?.kind))) {
        throw new RecordShapeError('record.codeHosting is not a list of {url, kind}');
      }
      return {
        type: 'organisation',
        values: {
          id,
          slug: text(record, 'slug', true),
          name: text(record, 'name', true),
          kind: oneOf(text(record, 'kind'), ORGANISATION_KINDS, 'kind'),
          officialKey: text(record, 'officialKey'),
          memberKeys: texts(record, 'memberKeys'),
          state: text(record, 'state'),
          programme: text(record, 'programme'),
          cohortYear: cohortYear as number | null,
          website: text(record, 'website'),
          codeHosting,
        },
      };
    }
    case 'software': {
      const short = localized(record, 'shortDescription');
      const long = localized(record, 'longDescription');
      const publiccode = record.publiccode ?? null;
      if (publiccode !== null && (typeof publiccode !== 'object' || Array.isArray(publiccode))) throw new RecordShapeError('record.publiccode is not an object');
      return {
        type: 'software',
        values: {
          id,
          slug: text(record, 'slug', true),
          name: text(record, 'name', true),
          organisationId: uuidOf(text(record, 'organisation', true), 'organisation'),
          shortDescriptionDe: short.de,
          shortDescriptionEn: short.en,
          longDescriptionDe: long.de,
          longDescriptionEn: long.en,
          categories: texts(record, 'categories'),
          features: texts(record, 'features'),
          licence: text(record, 'licence'),
          developmentStatus: text(record, 'developmentStatus'),
          maintenanceType: text(record, 'maintenanceType'),
          repositoryUrl: text(record, 'repositoryUrl'),
          publiccode: publiccode as Record<string, unknown> | null,
          readmeMarkdown: text(record, 'readmeMarkdown'),
          listed: record.listed !== false,
          active: true,
        },
      };
    }
    case 'release':
      return {
        type: 'release',
        values: {
          id,
          softwareId: uuidOf(text(record, 'software', true), 'software'),
          version: text(record, 'version', true),
          releasedAt: timestamp(record, 'releasedAt'),
          notes: text(record, 'notes'),
          url: text(record, 'url'),
          source: text(record, 'source') === 'crawl' ? 'crawl' : 'api',
        },
      };
    case 'reuse':
      return {
        type: 'reuse',
        values: {
          id,
          softwareId: uuidOf(text(record, 'software', true), 'software'),
          organisationId: uuidOf(text(record, 'organisation', true), 'organisation'),
          status: oneOf(text(record, 'status'), REUSE_STATUSES, 'status'),
          versionInUse: text(record, 'versionInUse'),
          since: text(record, 'since'),
          notes: text(record, 'notes'),
          verification: oneOf(text(record, 'verification') ?? 'self-declared', REUSE_VERIFICATIONS, 'verification'),
          disputeReason: text(record, 'disputeReason'),
          withdrawnAt: timestamp(record, 'withdrawnAt'),
        },
      };
    default:
      throw new RecordShapeError(`unknown type ${String(entry.type)}`);
  }
}

/** The rows a row points at, which must exist before it: a software's organisation, a release's software. */
export function referencesOf(row: MirrorRow): [FederatedType, string][] {
  if (row.type === 'software') return [['organisation', row.values.organisationId]];
  if (row.type === 'release') return [['software', row.values.softwareId]];
  if (row.type === 'reuse') return [['software', row.values.softwareId], ['organisation', row.values.organisationId]];
  return [];
}

/** Slugs are ours to give: a peer's slug taken here gets the origin's host appended. */
export function hostSuffixed(slug: string, origin: string): string {
  return `${slug}-${new URL(origin).host.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}

import type { ChangeEntry } from './change-entry';
import { uuidOf } from './mirror-record';
import type { KeyRing } from './peer-keyring';

/** Whether we hold the record of this global id from this origin, active (both appliers answer it their way). */
export type OwnedByOrigin = (globalId: string, origin: string) => boolean | Promise<boolean>;

/**
 * Authority (design: Peers and authority): an organisation follows the hub whose scope covers its
 * official key (or names its id); software and reuse follow their organisation's hub, a release
 * its software's. "Follows" means we hold that record from the same origin, so a software of an
 * organisation we quarantined is not authoritative either.
 */
export async function isAuthoritative(keys: KeyRing, entry: ChangeEntry, ownedByOrigin: OwnedByOrigin): Promise<boolean> {
  if (entry.op !== 'upsert' || typeof entry.record !== 'object' || entry.record === null) return true;
  const scope = keys.scopeOf(entry.origin);
  const record = entry.record;
  const inScope = (organisationGlobalId: unknown) => {
    try {
      return typeof organisationGlobalId === 'string' && scope.organisationIds.includes(uuidOf(organisationGlobalId, 'organisation'));
    } catch {
      return false;
    }
  };
  const owned = async (globalId: unknown) => typeof globalId === 'string' && (await ownedByOrigin(globalId, entry.origin));
  switch (entry.type) {
    case 'organisation': {
      const key = record.officialKey;
      // anyOrganisation still leaves an organisation held from another origin (or ours) alone: that is the "other origin" check.
      return scope.anyOrganisation === true || (typeof key === 'string' && scope.officialKeyPrefixes.some((prefix) => key.startsWith(prefix))) || inScope(entry.id);
    }
    case 'software':
      return inScope(record.organisation) || owned(record.organisation);
    case 'release':
      return owned(record.software);
    case 'reuse':
      return inScope(record.organisation) || owned(record.organisation);
    default:
      return false;
  }
}

/** The global ids an entry's authority may depend on (its organisation, or a release's software). */
export function authorityReferences(entry: Partial<ChangeEntry>): string[] {
  const record = entry.record;
  if (entry.op !== 'upsert' || typeof record !== 'object' || record === null) return [];
  const reference = entry.type === 'release' ? record.software : entry.type === 'software' || entry.type === 'reuse' ? record.organisation : undefined;
  return typeof reference === 'string' ? [reference] : [];
}

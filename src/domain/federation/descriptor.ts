import type { Config } from '../../config';
import { SIGNATURE_TAG } from './http-signatures';

/** Major.minor of the federation protocol; a peer refuses an unknown major (design: Scheduling). */
export const FEDERATION_PROTOCOL = '1.0';
export const FEDERATION_BASE_PATH = '/federation/v1';

export type HubDescriptor = {
  id: string;
  protocol: string;
  signatureTag: string;
  name: string;
  contact: string | null;
  links: { self: string; keys: string; changes: string; snapshot: string; entrySchema: string };
  authorityScope: { officialKeyPrefixes: string[]; organisationIds: string[] };
  tombstoneRetentionDays: number;
  maxPageSize: number;
  logEpoch: string;
};

/**
 * A count a peer's descriptor announces (tombstone retention days, maximum page size) if it is a
 * positive whole number, at most `max` (each caller justifies its own); else null: none announced.
 */
export function announcedCount(descriptor: Record<string, unknown> | null | undefined, field: 'tombstoneRetentionDays' | 'maxPageSize', max: number): number | null {
  const value = descriptor?.[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return null;
  return Math.min(value, max);
}

/** The hub's id: its public base URL without a trailing slash, exactly as record ids start. */
export function hubId(config: Config): string {
  if (!config.publicUrl) throw new Error('federation needs HUB_PUBLIC_URL (checked by loadConfig)');
  return config.publicUrl.replace(/\/+$/, '');
}

/**
 * GET /federation/v1/hub. The authority scope is empty until it is configurable: peers set what
 * they accept from us on their side (federation_peer.authority_scope), which is what they enforce.
 */
export function hubDescriptor(config: Config, log: { epoch: string; tombstoneRetentionDays: number; maxPageSize: number }): HubDescriptor {
  const id = hubId(config);
  const base = `${id}${FEDERATION_BASE_PATH}`;
  return {
    id,
    protocol: FEDERATION_PROTOCOL,
    signatureTag: SIGNATURE_TAG,
    name: new URL(id).host,
    contact: null,
    links: { self: `${base}/hub`, keys: `${base}/keys`, changes: `${base}/changes`, snapshot: `${base}/snapshot`, entrySchema: `${id}/openapi.json` },
    authorityScope: { officialKeyPrefixes: [], organisationIds: [] },
    tombstoneRetentionDays: log.tombstoneRetentionDays,
    maxPageSize: log.maxPageSize,
    logEpoch: log.epoch,
  };
}

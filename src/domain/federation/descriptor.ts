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
  links: { self: string; keys: string };
};

/** The hub's id: its public base URL without a trailing slash, exactly as record ids start. */
export function hubId(config: Config): string {
  if (!config.publicUrl) throw new Error('federation needs HUB_PUBLIC_URL (checked by loadConfig)');
  return config.publicUrl.replace(/\/+$/, '');
}

/**
 * GET /federation/v1/hub. Links only to endpoints this hub serves: changes, snapshot, the
 * authority scope, tombstone retention, page size and logEpoch join when the change log exists.
 */
export function hubDescriptor(config: Config): HubDescriptor {
  const id = hubId(config);
  return {
    id,
    protocol: FEDERATION_PROTOCOL,
    signatureTag: SIGNATURE_TAG,
    name: new URL(id).host,
    contact: null,
    links: { self: `${id}${FEDERATION_BASE_PATH}/hub`, keys: `${id}${FEDERATION_BASE_PATH}/keys` },
  };
}

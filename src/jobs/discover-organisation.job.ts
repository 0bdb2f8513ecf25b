import { Type } from 'typebox';
import { defineJob } from './contract';

export const discoverOrganisationJob = defineJob({
  name: 'discover-organisation',
  payload: Type.Object({
    organisationId: Type.String({ format: 'uuid' }),
    /** Only repositories that carry a publiccode.yml are registered. */
    onlyWithPubliccode: Type.Boolean(),
  }, { additionalProperties: false }),
  attempts: 3,
  backoffMs: 60_000,
  // Listing a large GitLab group page by page stays well under 10 minutes.
  timeoutMs: 10 * 60_000,
  dedupId: (payload) => `discover:${payload.organisationId}`,
});

import { Type } from 'typebox';
import { Nullable } from '../../schemas/common';

const Finding = Type.Object({ key: Type.String(), message: Type.String(), line: Type.Integer(), column: Type.Integer() });

export const PubliccodeReport = Type.Object({
  valid: Type.Boolean(),
  version: Nullable(Type.String()),
  errors: Type.Array(Finding),
  warnings: Type.Array(Finding),
});

export const LicenceReport = Type.Object({
  spdx: Nullable(Type.String({ description: 'SPDX expression, or null when no licence was recognised' })),
  matches: Type.Array(Type.Object({ spdx: Type.String(), confidence: Type.Number(), kind: Type.String() })),
  modified: Type.Boolean(),
  reason: Type.String(),
});

/** OpenCoDE's limit for a publiccode.yml upload; real files are a few KiB. */
export const PUBLICCODE_BODY_LIMIT = 64 * 1024;
// The longest SPDX licence texts (e.g. GFDL, MPL with exhibits) stay under 100 KiB.
export const LICENCE_BODY_LIMIT = 256 * 1024;

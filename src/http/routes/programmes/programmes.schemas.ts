import { Type } from 'typebox';
import { Nullable, Uuid } from '../../schemas/common';
import { Completeness } from '../transfer-package/transfer-package.schemas';

export const ProgrammeParams = Type.Object({
  programme: Type.String({ minLength: 1, maxLength: 100, description: 'Programme as stored on organisations, any case (e.g. MPSC)' }),
});

export const ReportQuery = Type.Object(
  {
    cohort: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100, description: 'Only organisations of this cohort (Staffel) year' })),
    state: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only organisations in this state (any of a cooperation’s states)' })),
  },
  { additionalProperties: false },
);

const ReportSoftware = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  repositories: Type.Array(Type.String()),
  publiclyReachable: Type.Boolean({ description: 'The last crawl of one of its repositories succeeded' }),
  licence: Nullable(Type.String()),
  openLicence: Type.Boolean({ description: 'Usable under OSI-approved or EUPL-compatible licences only' }),
  publiccodeValid: Type.Boolean(),
  readme: Type.Boolean(),
  lastActivityAt: Nullable(Type.String({ description: 'Latest release or head commit' })),
  activeLast12Months: Type.Boolean({ description: 'A release or a commit in the last 12 months' }),
  transferPackage: Type.Object(Completeness),
  reusesByOthers: Type.Object(
    { production: Type.Integer(), other: Type.Integer({ description: 'evaluating or piloting' }) },
    { description: 'Reuses confirmed by the producer, not retired or withdrawn, by organisations other than the owner and its cooperation partners; see reuseBasis' },
  ),
});

export const ProgrammeReport = Type.Object({
  programme: Type.String(),
  filters: Type.Object({ cohort: Nullable(Type.Integer()), state: Nullable(Type.String()) }),
  generatedAt: Type.String({ format: 'date-time' }),
  reuseBasis: Type.Enum(['self-declared', 'confirmed'], { description: 'Whether reusesByOthers counts only reuses the producer confirmed' }),
  totals: Type.Object({
    organisations: Type.Integer(),
    organisationsWithoutSoftware: Type.Integer(),
    repositories: Type.Integer(),
    software: Type.Integer(),
    publiclyReachable: Type.Integer(),
    openLicence: Type.Integer(),
    publiccodeValid: Type.Integer(),
    readme: Type.Integer(),
    activeLast12Months: Type.Integer(),
    transferPackageMeanCompleteness: Nullable(Type.Number()),
    softwareReusedByOthers: Type.Integer(),
    reusesByOthers: Type.Integer(),
  }),
  organisations: Type.Array(
    Type.Object({
      id: Uuid,
      slug: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      state: Nullable(Type.String()),
      cohortYear: Nullable(Type.Integer()),
      repositoryCount: Type.Integer(),
      software: Type.Array(ReportSoftware, { description: 'Active entries; empty for an organisation that registered none' }),
    }),
  ),
});

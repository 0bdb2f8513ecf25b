import { Type } from 'typebox';
import { CODE_HOSTING_KINDS, ORGANISATION_KINDS } from '../../../db/schema/organisations';
import { Cursor, Limit, Multi, Nullable, OriginQuery, Page, Provenance, Timestamp, Uuid, WebUrl } from '../../schemas/common';

const Kind = Type.Enum(ORGANISATION_KINDS);
const CodeHosting = Type.Object(
  {
    url: WebUrl(500),
    kind: Type.Enum(CODE_HOSTING_KINDS),
  },
  { additionalProperties: false },
);
const OfficialKey = Type.String({
  pattern: '^[0-9]+$',
  minLength: 5,
  maxLength: 12,
  description: 'AGS (8 digits), Kreisschlüssel (5), Verbandsschlüssel (9) or ARS (12)',
});

export const Organisation = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  kind: Kind,
  ags: Nullable(Type.String()),
  memberKeys: Type.Array(Type.String()),
  state: Nullable(Type.String()),
  website: Nullable(Type.String()),
  programme: Nullable(Type.String()),
  cohortYear: Nullable(Type.Integer()),
  codeHosting: Type.Array(CodeHosting),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  provenance: Provenance,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  kind: Kind,
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
  ags: Nullable(OfficialKey),
  memberKeys: Type.Array(OfficialKey, { maxItems: 100 }),
  state: Nullable(Type.String({ minLength: 1, maxLength: 200 })),
  website: Nullable(WebUrl(500)),
  programme: Nullable(Type.String({ minLength: 1, maxLength: 100, examples: ['MPSC'] })),
  cohortYear: Nullable(Type.Integer({ minimum: 1990, maximum: 2100 })),
  codeHosting: Type.Array(CodeHosting, { maxItems: 50 }),
};

export const CreateOrganisationBody = Type.Object(
  {
    name: fields.name,
    kind: fields.kind,
    slug: Type.Optional(fields.slug),
    ags: Type.Optional(fields.ags),
    memberKeys: Type.Optional(fields.memberKeys),
    state: Type.Optional(fields.state),
    website: Type.Optional(fields.website),
    programme: Type.Optional(fields.programme),
    cohortYear: Type.Optional(fields.cohortYear),
    codeHosting: Type.Optional(fields.codeHosting),
  },
  { additionalProperties: false },
);

export const UpdateOrganisationBody = Type.Partial(CreateOrganisationBody, { additionalProperties: false, minProperties: 1 });

export const ListOrganisationsQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Finds organisations by name (case and umlauts ignored), slug or the start of an official key' }),
    ),
    sort: Type.Optional(Type.Enum(['name', 'newest'], { description: 'name: by name, case and umlauts ignored; newest: latest registered first. Default: by slug' })),
    kind: Type.Optional(Multi(Kind)),
    state: Type.Optional(Multi()),
    programme: Type.Optional(Multi()),
    origin: Type.Optional(OriginQuery),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const OrganisationPage = Page(Organisation);

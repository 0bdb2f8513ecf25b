import { Type } from 'typebox';
import { TRANSFER_KINDS } from '../../../domain/transfer/transfer-kinds';
import { IdOrSlug, Nullable, Timestamp, Uuid, WebUrl } from '../../schemas/common';

export const TransferKindEnum = Type.Enum([...TRANSFER_KINDS], {
  description:
    'installation-guide, operations-manual, system-requirements, running-costs, procurement (Leistungsbeschreibung, Vergabeunterlagen), cooperation-agreement (Kooperationsvertrag), data-protection (VVT, DSFA, TOM), accessibility-statement (BITV 2.0), security-contact, training-material, reuse-contact',
});

export const TransferKindParams = Type.Object({ id: IdOrSlug, kind: TransferKindEnum });

const Language = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'BCP 47 language tag, e.g. de or en' });

export const SetTransferItemBody = Type.Object(
  {
    url: Type.Optional(WebUrl(1000)),
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'A file or folder in a repository registered for this software, e.g. docs/betrieb.md' })),
    repository: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Id or URL of the repository the path is in; optional when the software has one repository' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'A role mailbox; only for security-contact and reuse-contact' })),
    notApplicable: Type.Optional(Type.Boolean({ description: 'true: this kind does not apply to this software; it leaves the completeness score' })),
    language: Type.Optional(Nullable(Language)),
    lastCheckedOn: Type.Optional(Nullable(Type.String({ format: 'date', description: 'When the owner last checked the item; default today' }))),
  },
  { additionalProperties: false, description: 'Exactly one of url, path (with repository) or email; or notApplicable: true' },
);

const Item = Type.Object({
  source: Type.Enum(['declared', 'discovered'], { description: 'declared: set by the owner (wins); discovered: found by the crawler in a repository' }),
  url: Nullable(Type.String()),
  repository: Nullable(Type.Object({ id: Uuid, url: Type.String() })),
  path: Nullable(Type.String()),
  email: Nullable(Type.String()),
  href: Nullable(Type.String({ description: 'Where to read it: the url, or the file on its forge for a path (null on a plain git host)' })),
  origin: Nullable(Type.String({ description: 'Where the item came from: for a discovered item the repository tree or a publiccode.yml key; "demo data" for the demo catalogue' })),
  language: Nullable(Type.String()),
  lastCheckedOn: Nullable(Type.String({ format: 'date' })),
  updatedAt: Timestamp,
});

export const Completeness = {
  present: Type.Integer({ description: 'Kinds with an item' }),
  applicable: Type.Integer({ description: 'Kinds that apply: 11 minus those the owner declared not applicable' }),
  completeness: Type.Number({ minimum: 0, maximum: 1, description: 'present / applicable (1 when no kind applies)' }),
};

export const TransferPackage = Type.Object({
  software: Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() }),
  ...Completeness,
  kinds: Type.Array(
    Type.Object({
      kind: TransferKindEnum,
      label: Type.Object({ de: Type.String(), en: Type.String() }),
      status: Type.Enum(['present', 'missing', 'not-applicable']),
      item: Nullable(Item),
      discovered: Type.Array(Item),
    }),
  ),
});

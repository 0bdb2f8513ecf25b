import { Type } from 'typebox';
import { BADGE_KINDS } from '../../../domain/exports/badges.service';

export const BadgeQuery = Type.Object({
  kind: Type.Union(BADGE_KINDS.map((kind) => Type.Literal(kind)), { description: 'What the badge shows: licence, reuse count, publiccode.yml state or maintenance type' }),
  lang: Type.Union([Type.Literal('de'), Type.Literal('en')], { default: 'de', description: 'Label language' }),
});

import { Type } from 'typebox';

const OtherOrganisationCounts = Type.Object(
  {
    total: Type.Integer({ description: 'Current reuses (not withdrawn, not retired, not disputed) by other organisations' }),
    confirmed: Type.Integer({ description: 'Of total: confirmed by the producer' }),
    selfDeclared: Type.Integer({ description: 'Of total: declared by the reusing organisation, not (yet) confirmed' }),
    disputed: Type.Integer({ description: 'Disputed by the producer (not in total)' }),
    production: Type.Integer({ description: 'Of total: in production' }),
    confirmedProduction: Type.Integer({ description: 'Of total: in production and confirmed' }),
  },
  { description: 'Reuse by other organisations: neither the producer itself nor an organisation sharing a cooperation (memberKeys) with it' },
);

export const ListReuseCounts = Type.Object({ byOtherOrganisations: OtherOrganisationCounts });

export const DetailReuseCounts = Type.Object({
  total: Type.Integer({ description: 'Records not withdrawn and not retired, by anyone (producer and cooperation included)' }),
  evaluating: Type.Integer(),
  piloting: Type.Integer(),
  production: Type.Integer(),
  retired: Type.Integer(),
  byOtherOrganisations: OtherOrganisationCounts,
  byProducerOrCooperation: Type.Integer({ description: 'Current records of the producer itself or of organisations sharing a cooperation with it (not reuse by another municipality)' }),
  withdrawn: Type.Integer({ description: 'Records their organisation withdrew (kept, counted nowhere else)' }),
});

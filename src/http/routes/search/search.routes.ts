import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { suggestSearch } from '../../../domain/search/suggest.service';
import { ProblemSchema } from '../../schemas/common';
import { SuggestQuery, Suggestions } from './search.schemas';

export default async function searchRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/v1/search/suggest', {
    schema: {
      operationId: 'suggestSearch',
      tags: ['search'],
      summary: 'Autocompletion for the search box: software names and common terms for a prefix',
      querystring: SuggestQuery,
      response: { 200: Suggestions, 400: ProblemSchema },
    },
  }, async (request) => suggestSearch(hub, { q: request.query.q, limit: request.query.limit ?? 8 }));
}

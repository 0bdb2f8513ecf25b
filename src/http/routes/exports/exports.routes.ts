import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { exportPubliccode } from '../../../domain/exports/publiccode.service';
import { IdParams } from '../../schemas/common';
import { notFound, textAnswer } from './exports.schemas';

/** Exports other tools read: publiccode.yml, DCAT-AP, repository lists, Atom feeds. Public GETs. */
export default async function exportRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];

  app.get('/v1/software/:id/publiccode.yml', {
    schema: {
      operationId: 'exportPubliccode',
      tags,
      summary: 'The entry as a publiccode.yml (crawled file merged with what the hub holds)',
      description: 'Die Software als publiccode.yml, gültig nach dem Validator des Hubs.',
      params: IdParams,
      response: { 200: textAnswer('application/yaml', 'publiccode.yml (YAML, UTF-8)'), ...notFound },
    },
  }, async (request, reply) => {
    const { slug, yaml } = await exportPubliccode(hub.db, request.params.id);
    return reply
      .type('application/yaml; charset=utf-8')
      .header('content-disposition', `inline; filename="${slug}.publiccode.yml"`)
      .send(yaml);
  });
}

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { getTransferPackage, removeTransferItem, setTransferItem } from '../../../domain/transfer/transfer-package.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { SetTransferItemBody, TransferKindParams, TransferPackage } from './transfer-package.schemas';

/**
 * The transfer package (Nachnutzungspaket) of a software entry. Items are set one kind at a time
 * (PUT/DELETE …/transfer-package/{kind}): an owner fills the package bit by bit, two editors of
 * different kinds never overwrite each other, and each change is one audit row.
 */
export default async function transferPackageRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['transfer-package'];

  app.get('/v1/software/:id/transfer-package', {
    schema: {
      operationId: 'getTransferPackage',
      tags,
      summary: 'The transfer package (Nachnutzungspaket): one line per kind, declared and discovered items, completeness',
      params: IdParams,
      response: { 200: TransferPackage, 404: ProblemSchema },
    },
  }, async (request) => getTransferPackage(hub.db, request.params.id));

  app.put('/v1/software/:id/transfer-package/:kind', {
    schema: {
      operationId: 'setTransferItem',
      tags,
      summary: 'Declare the item of one kind, or that it does not apply (publish token of the owner)',
      security: bearer,
      params: TransferKindParams,
      body: SetTransferItemBody,
      response: { 200: TransferPackage, ...writeErrors },
    },
  }, async (request) => setTransferItem(hub.db, request.principal, { software: request.params.id, kind: request.params.kind, item: request.body }));

  app.delete('/v1/software/:id/transfer-package/:kind', {
    schema: {
      operationId: 'removeTransferItem',
      tags,
      summary: "Remove the owner's declaration of one kind (a discovered item counts again)",
      security: bearer,
      params: TransferKindParams,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await removeTransferItem(hub.db, request.principal, { software: request.params.id, kind: request.params.kind });
    return reply.status(204).send(null);
  });
}

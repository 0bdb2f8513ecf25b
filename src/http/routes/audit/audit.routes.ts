import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { listAuditEventsPage } from '../../../domain/audit/audit-events.service';
import { bearer, ProblemSchema } from '../../schemas/common';
import { AuditEventPage, ListAuditEventsQuery } from './audit.schemas';

export default async function auditRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/v1/audit-events', {
    schema: {
      operationId: 'listAuditEvents',
      tags: ['audit'],
      summary: "Read the audit log, newest first (admin: all of it; an organisation's token: its own entries)",
      security: bearer,
      querystring: ListAuditEventsQuery,
      response: { 200: AuditEventPage, 400: ProblemSchema, 401: ProblemSchema },
    },
  }, async (request) => listAuditEventsPage(hub.db, request.principal, { ...request.query, limit: request.query.limit ?? 20 }));
}

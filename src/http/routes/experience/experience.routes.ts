import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HubContext } from '../../../domain/context';
import { answerReport, hideReport, softwareExperience, unhideReport, writeExperienceReport } from '../../../domain/reuse/experience.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { ReuseParams } from '../reuses/reuses.schemas';
import { AnswerBody, ExperienceReport, HideBody, ReportParams, SoftwareExperience, UnhideBody, WriteReportBody } from './experience.schemas';

export default async function experienceRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['experience'];

  app.get('/v1/software/:id/experience', {
    schema: {
      operationId: 'getSoftwareExperience',
      tags,
      summary: 'Experience reports (Erfahrungsberichte) on this software and their aggregates',
      params: IdParams,
      response: { 200: SoftwareExperience, 404: ProblemSchema },
    },
  }, async (request) => softwareExperience(hub.db, request.params.id));

  app.post('/v1/software/:id/reuses/:reuseId/experience-reports', {
    schema: {
      operationId: 'writeExperienceReport',
      tags,
      summary: 'Write an experience report on your reuse (reuse token of the reusing organisation); several over time',
      security: bearer,
      params: ReuseParams,
      body: WriteReportBody,
      response: { 201: ExperienceReport, ...writeErrors },
    },
  }, async (request, reply) =>
    reply.status(201).send(await writeExperienceReport(hub.db, request.principal, { software: request.params.id, reuseId: request.params.reuseId, report: request.body })));

  app.post('/v1/software/:id/experience-reports/:reportId/answer', {
    schema: {
      operationId: 'answerExperienceReport',
      tags,
      summary: "Answer a report on your software, once (publish token of the software's owner)",
      security: bearer,
      params: ReportParams,
      body: AnswerBody,
      response: { 200: ExperienceReport, ...writeErrors },
    },
  }, async (request) => answerReport(hub.db, request.principal, { software: request.params.id, reportId: request.params.reportId, answer: request.body.answer }));

  app.post('/v1/software/:id/experience-reports/:reportId/hide', {
    schema: {
      operationId: 'hideExperienceReport',
      tags,
      summary: 'Hide an abusive report with a reason (admin); the reason is kept in the audit log',
      security: bearer,
      params: ReportParams,
      body: HideBody,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await hideReport(hub.db, request.principal, { software: request.params.id, reportId: request.params.reportId, reason: request.body.reason });
    return reply.status(204).send(null);
  });

  app.post('/v1/software/:id/experience-reports/:reportId/unhide', {
    schema: {
      operationId: 'unhideExperienceReport',
      tags,
      summary: 'Show a hidden report again, with a reason (admin); the reason is kept in the audit log',
      security: bearer,
      params: ReportParams,
      body: UnhideBody,
      response: { 204: Type.Null(), ...writeErrors },
    },
  }, async (request, reply) => {
    await unhideReport(hub.db, request.principal, { software: request.params.id, reportId: request.params.reportId, reason: request.body.reason });
    return reply.status(204).send(null);
  });
}

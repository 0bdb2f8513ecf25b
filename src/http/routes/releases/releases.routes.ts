import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from '../../../domain/context';
import { listSoftwareReleases, pushRelease } from '../../../domain/releases/releases.service';
import { bearer, IdParams, ProblemSchema, writeErrors } from '../../schemas/common';
import { PushReleaseBody, Release, ReleaseList, ReleaseListQuery } from './releases.schemas';

export default async function releaseRoutes(base: FastifyInstance, { hub }: { hub: HubContext }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['releases'];

  app.get('/v1/software/:id/releases', {
    schema: {
      operationId: 'listReleases',
      tags,
      summary: 'Releases of a software entry, newest first (semantic versions by precedence, then the others by date), paged',
      params: IdParams,
      querystring: ReleaseListQuery,
      response: { 200: ReleaseList, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request) => listSoftwareReleases(hub.db, request.params.id, { ...request.query, limit: request.query.limit ?? 20 }));

  app.post('/v1/software/:id/releases', {
    schema: {
      operationId: 'pushRelease',
      tags,
      summary: 'Publish a release from a CI pipeline (publish token); idempotent on the version',
      description:
        'The same payload again answers 200 with the existing release, also when only the date differs (the first date stays: a re-run pipeline may date by its clock). ' +
        'Other notes or another URL for a version that is already published answer 409 (type …/release-version-conflict, errors naming /notes or /url). ' +
        'A leading "v" is dropped from the version ("v1.2.0" and "1.2.0" are one release).',
      security: bearer,
      params: IdParams,
      body: PushReleaseBody,
      response: { 200: Release, 201: Release, ...writeErrors },
    },
  }, async (request, reply) => {
    const { created, release } = await pushRelease(hub.db, request.principal, request.params.id, request.body);
    return reply.status(created ? 201 : 200).send(release);
  });
}

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { detectLicence, validatePubliccodeText } from '../../../domain/tools/tools.service';
import { ProblemSchema } from '../../schemas/common';
import { LICENCE_BODY_LIMIT, LicenceReport, PUBLICCODE_BODY_LIMIT, PubliccodeReport } from './tools.schemas';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

export default async function toolRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['tools'];
  // Bodies stay raw bytes: the validator refuses a publiccode.yml that is not UTF-8 (a body parsed
  // as a string would have its invalid bytes silently replaced), and the licence detector decodes
  // Latin-1 itself. JSON would arrive parsed; these tools take files as they are, so it is a 415 here.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser([...YAML_TYPES, 'text/plain', 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/v1/tools/publiccode/validate', {
    bodyLimit: PUBLICCODE_BODY_LIMIT,
    schema: {
      operationId: 'validatePubliccode',
      tags,
      summary: 'Validate a publiccode.yml (YAML body, 64 KiB at most)',
      description: 'Prüft eine publiccode.yml vor der Veröffentlichung. Errors and warnings carry the key, line and column.',
      consumes: [...YAML_TYPES, 'text/plain'],
      // No `type`: the body arrives as a Buffer (see the parsers above), which a string schema would refuse.
      body: Type.Unsafe<Buffer>({ description: 'the publiccode.yml file (UTF-8)' }),
      response: { 200: PubliccodeReport, 400: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema },
    },
  }, async (request) => validatePubliccodeText(request.body));

  app.post('/v1/tools/licence/detect', {
    bodyLimit: LICENCE_BODY_LIMIT,
    schema: {
      operationId: 'detectLicence',
      tags,
      summary: 'Detect the SPDX licence of a licence text (text body)',
      description: 'Erkennt die Lizenz eines LICENSE-Texts. Latin-1 and UTF-8 (with or without BOM) are accepted as octet-stream.',
      consumes: ['text/plain', 'application/octet-stream'],
      // No `type`: octet-stream bodies arrive as a Buffer, which a string schema would refuse.
      body: Type.Unsafe<Buffer>({ description: 'the licence text' }),
      response: { 200: LicenceReport, 400: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema },
    },
  }, async (request) => detectLicence(request.body));
}

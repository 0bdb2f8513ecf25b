import { Type } from 'typebox';
import { ProblemSchema } from '../../schemas/common';

/**
 * A non-JSON answer, documented with its media type. The schema is an OpenAPI `content` map, so
 * Fastify does not serialise the payload (the handler sends text or a stream as it is).
 */
export function textAnswer(mediaType: string, description: string) {
  return { description, content: { [mediaType]: { schema: Type.String() } } };
}

export const notFound = { 404: ProblemSchema };

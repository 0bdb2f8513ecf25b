import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isWebUrl, WEB_URL_FORMAT } from '../../lib/web-url';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const common: Options = {
  // Reject unknown properties instead of silently dropping them: a typo in a CI script must show.
  removeAdditional: false,
  useDefaults: true,
  // Every field error at once, so a form can mark them all; bodies are size-limited, arrays capped by maxItems.
  allErrors: true,
  strict: false,
  // Each error carries its schema: a missing property's accepted values go into the problem (problem.ts).
  verbose: true,
};

/** ajv-formats plus `web-url` (see WEB_URL_FORMAT). */
function withFormats(ajv: Ajv): Ajv {
  return addFormats(ajv).addFormat(WEB_URL_FORMAT, { type: 'string', validate: isWebUrl });
}

/**
 * Two validators: query strings and path parameters arrive as text and need coercion
 * ("20" → 20, one value → an array), JSON bodies are typed already and must not be
 * coerced (ajv would turn a null into "" for a nullable string).
 */
const forText = withFormats(new Ajv({ ...common, coerceTypes: 'array' }));
const forBodies = withFormats(new Ajv({ ...common, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBodies : forText).compile(schema) as ReturnType<FastifySchemaCompiler<object>>;

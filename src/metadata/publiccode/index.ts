export { validatePubliccode } from './validate.js';
export { MAX_INPUT_BYTES } from './parse.js';
export type {
  PubliccodeContact,
  PubliccodeContractor,
  PubliccodeDependency,
  PubliccodeDescription,
  PubliccodeGermanSection,
  PubliccodeItalianSection,
  PubliccodeModel,
  PubliccodeOptions,
  PubliccodeOrganisation,
  PubliccodeResult,
  PubliccodeVerdict,
} from './types.js';

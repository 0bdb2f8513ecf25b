import { decodeDocument } from './decode.js';
import { buildModel } from './model.js';
import { parseYaml } from './parse.js';
import { Results } from './results.js';
import type { PubliccodeOptions, PubliccodeVerdict } from './types.js';
import { validateCore } from './validate-core.js';
import { validateCountrySections } from './validate-country.js';
import { validateDependsOn } from './validate-depends-on.js';
import { validateDescription } from './validate-description.js';
import { validateExtras } from './validate-extras.js';
import { validateLegal } from './validate-legal.js';
import { validateLocalisation } from './validate-localisation.js';
import { validateMaintenance } from './validate-maintenance.js';
import { LATEST_VERSIONS, SUPPORTED_VERSIONS } from './vocabulary-enums.js';
import type { YMap } from './yaml-tree.js';

const EMPTY_ROOT: YMap = { kind: 'map', line: 1, column: 1, flow: false, entries: [] };

/**
 * Validates a publiccode.yml like italia/publiccode-parser-go v5 with its network checks off:
 * same keys, messages and verdicts, plus our German `de` section (the deliberate differences are
 * listed in README.md beside this file). Pure apart from reading the local files a file names
 * when `baseDir` is given; never throws on any input.
 */
export function validatePubliccode(text: string | Uint8Array, options: PubliccodeOptions = {}): PubliccodeVerdict {
  const parsed = parseYaml(text);
  if (parsed.failure !== null) {
    const { message, line, column } = parsed.failure;
    return { valid: false, version: null, results: [{ type: 'error', key: '', message, line, column }], model: null };
  }
  const root = parsed.root?.kind === 'map' ? parsed.root : EMPTY_ROOT;
  const decoded = decodeDocument(root);
  const model = buildModel(decoded.doc);
  const r = new Results();
  const done = (version: string | null): PubliccodeVerdict => {
    const results = r.finish(parsed.root);
    return { valid: !results.some((x) => x.type === 'error'), version, results, model };
  };

  // The version decides how the rest is read, so the reference stops here when it is unusable.
  const versionEntry = root.entries.find((e) => e.key === 'publiccodeYmlVersion');
  if (versionEntry === undefined) {
    r.error('publiccodeYmlVersion', 'publiccodeYmlVersion is a required field', { line: 0, column: 0 });
    return done(null);
  }
  const versionNode = versionEntry.value;
  if (versionNode.kind !== 'scalar' || typeof versionNode.value !== 'string') {
    r.error('publiccodeYmlVersion', 'wrong type for this field');
    return done(null);
  }
  const version = versionNode.value;
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) {
    r.error('publiccodeYmlVersion', `unsupported version: '${version}'. Supported versions: ${SUPPORTED_VERSIONS.join(', ')}`, { line: 0, column: 0 });
    return done(version);
  }
  if (!LATEST_VERSIONS.has(version)) {
    r.warning('publiccodeYmlVersion', `v${version} is not the latest version, use '0'. Parsing this file as v0.7.`);
  }

  for (const problem of decoded.problems) r.error(problem.key, problem.message, problem);
  const doc = decoded.view;
  validateCore(doc, r);
  validateDescription(doc.description, r);
  validateLegal(doc.legal, r);
  validateMaintenance(doc.maintenance, r);
  validateLocalisation(doc.localisation, r);
  validateDependsOn(doc.dependsOn, r);
  validateCountrySections(doc, r);
  validateExtras(doc, options.baseDir, r);
  return done(version);
}

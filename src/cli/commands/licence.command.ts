import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { detectLicenceInProject, detectLicenceInText } from '../../metadata/licence/index.js';
import type { ProjectDetection } from '../../metadata/licence/index.js';
import { EXIT_NEGATIVE, EXIT_OK, parseTarget, printJson, UsageError } from './exit-codes.js';

/** `transferhub licence detect <file|dir> [--json]` */
export function run(args: string[]): number {
  const { target, json } = parseTarget(args);
  return licenceDetect(target, json);
}

export function licenceDetect(target: string, json: boolean): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such file or folder / Datei oder Ordner fehlt: ${target}`);
  const result: ProjectDetection = stat.isDirectory() ? detectLicenceInProject(target) : fromFile(target);
  const detected = result.spdx !== 'NOASSERTION' && result.spdx !== 'NONE';
  if (json) {
    printJson({ spdx: result.spdx, files: result.files, reason: result.reason });
  } else {
    console.log(`licence / Lizenz: ${result.spdx}`);
    console.log(`reason / Grund: ${result.reason}`);
    for (const file of result.files) console.log(`  ${file.path}: ${file.spdx} (${file.confidence})`);
  }
  return detected ? EXIT_OK : EXIT_NEGATIVE;
}

function fromFile(path: string): ProjectDetection {
  const found = detectLicenceInText(readFileSync(path));
  const confidence = found.matches.length > 0 ? Math.min(...found.matches.map((match) => match.confidence)) : 0;
  return {
    spdx: found.spdx ?? 'NOASSERTION',
    files: [{ path: basename(path), spdx: found.spdx ?? 'NOASSERTION', confidence }],
    reason: found.spdx ? `found in the text (${found.matches.map((match) => match.kind).join(', ')})` : 'no licence recognised in the text',
  };
}

import { createHash } from 'node:crypto';

export type Finding = { type: 'error' | 'warning'; key: string; message: string; line: number; column: number };

/**
 * GitHub Actions workflow commands: `%`, CR and LF are escaped in the message, and also `:` and
 * `,` in a property value, or the runner cuts the command there. Line 0 is the validator's "no
 * place in the file" (a required section that is missing): such an annotation names only the file.
 */
export function githubAnnotations(path: string, findings: Finding[]): string[] {
  const data = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return findings.map((finding) => {
    const where = finding.line > 0 ? `,line=${finding.line},col=${Math.max(finding.column, 1)}` : '';
    return `::${finding.type} file=${property(path)}${where},title=${property('publiccode.yml')}::${data(describe(finding))}`;
  });
}

/**
 * A GitLab Code Quality report (the `codequality` artifact): errors are "major", warnings "minor".
 * The fingerprint leaves the line out, so a finding keeps its identity when lines above it move and
 * GitLab's merge-request widget does not report it as fixed and new; repeats of one finding are numbered.
 */
export function gitlabCodeQuality(path: string, findings: Finding[]) {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const identity = `${path}\0${finding.key}\0${finding.message}`;
    const repeat = seen.get(identity) ?? 0;
    seen.set(identity, repeat + 1);
    return {
      description: describe(finding),
      check_name: `publiccode.yml${finding.key ? `:${finding.key}` : ''}`,
      fingerprint: createHash('md5').update(`${identity}\0${repeat}`).digest('hex'),
      severity: finding.type === 'error' ? 'major' : 'minor',
      // GitLab needs a line; a finding without a place (line 0) is shown at the top of the file.
      location: { path, lines: { begin: Math.max(finding.line, 1) } },
    };
  });
}

function describe(finding: Finding): string {
  return finding.key ? `${finding.key}: ${finding.message}` : finding.message;
}

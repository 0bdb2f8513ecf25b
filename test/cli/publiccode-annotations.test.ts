import { describe, expect, it } from 'vitest';
import { githubAnnotations } from '../../src/cli/commands/publiccode-annotations';

describe('GitHub annotations', () => {
  it('escape %, CR and LF in the message and also : and , in the file name, so the runner reads the whole command', () => {
    const [line] = githubAnnotations('a,b:c/publiccode.yml', [{ type: 'warning', key: 'x', message: '100% sicher\r\nzweite Zeile', line: 3, column: 0 }]);
    expect(line).toBe('::warning file=a%2Cb%3Ac/publiccode.yml,line=3,col=1,title=publiccode.yml::x: 100%25 sicher%0D%0Azweite Zeile');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenapi, OPENAPI_FILE } from '../../src/cli/openapi';

describe('the committed OpenAPI document', () => {
  it('equals the one generated from the route schemas (run `npm run openapi` after changing routes)', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(committed).toBe(await generateOpenapi());
  });
});

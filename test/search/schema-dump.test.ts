import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSearchSchema } from '../../src/cli/search-schema';
import { SEARCH_SCHEMA_FILE } from '../../src/db/search-schema';

describe('the committed search schema dump', () => {
  it('is what the migrations produce (run `npm run search:schema` after a search migration)', async () => {
    const generated = await generateSearchSchema();
    expect(generated).toContain('CREATE TABLE public.software_search (');
    expect(generated).toContain('CREATE INDEX software_search_rank_idx');
    expect(generated).toContain('FUNCTION public.th_search_refresh(');
    expect(readFileSync(SEARCH_SCHEMA_FILE, 'utf8')).toBe(generated);
  }, 120_000);
});

import { Readable } from 'node:stream';
import type { Executor } from '../../db/client';
import { listRepositoryUrls } from '../../db/queries/exports.queries';

// URLs read per query: ~100 KB of text at a time, ~100 queries for 100,000 repositories.
const BATCH = 1000;

/**
 * GET /v1/export/repositories.json: `{"repositories":[{"url":…},…]}`, the list other crawlers
 * (publiccode-crawler and the like) read. Streamed a batch at a time in URL order.
 */
export function exportRepositoryUrls(db: Executor): Readable {
  async function* text() {
    yield '{"repositories":[';
    let afterUrl: string | undefined;
    let first = true;
    for (;;) {
      const rows = await listRepositoryUrls(db, { afterUrl, limit: BATCH });
      if (rows.length === 0) break;
      yield `${first ? '\n' : ',\n'}${rows.map((row) => JSON.stringify({ url: row.url })).join(',\n')}`;
      first = false;
      if (rows.length < BATCH) break;
      afterUrl = rows[rows.length - 1]!.url;
    }
    yield '\n]}\n';
  }
  return Readable.from(text());
}

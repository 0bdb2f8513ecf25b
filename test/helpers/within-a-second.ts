/**
 * The value read once it equals `expected` (deep equality through JSON), or the last one read
 * after a second. For a write made beside the API (straight to the database, as another process
 * would): an API process's search index sees it within HUB_SEARCH_INDEX_LAG_MS, and issue 13
 * allows a second.
 */
export async function withinASecond<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const until = Date.now() + 1000;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type { Db } from '../../../db/client';
import { changesSince, EVERYTHING_CHANGED, indexedRows, indexStart } from '../../../db/queries/search.queries';
import { IndexBuilder, type IndexState } from './index-state';

/** Rows per loading statement: a page's parsing holds the event loop a few tens of milliseconds at most. */
const LOAD_PAGE = 200;
/** Room for entries written after the load, as a share of the catalogue (and at least this many). */
const RECENT_SHARE = 0.05;
const RECENT_MIN = 1024;

type Log = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/**
 * The in-process search index of one API process (design in src/domain/search/README.md): loaded
 * from the search document in the background at the first search, then kept in step with the
 * catalogue by every search, which first reads the entries changed since the revision the index
 * holds (search_change, migration 0019) and applies them. So a search sees every write committed
 * before it started, in whichever process it was made. Until the load is done (and while it is
 * done again: a truncated table, or more changes than the room for them) `current` answers null
 * and the search asks the database.
 */
export class SearchIndex {
  private state: IndexState | null = null;
  private loading: Promise<void> | null = null;
  /** A catch-up not started yet, which a request arriving now may share; and the one running. */
  private queued: Promise<IndexState | null> | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;
  /** When the last finished catch-up started, and this process's writes (requests that may write) running and last ended. */
  private caughtUpAt = -Infinity;
  private writing = 0;
  private wroteAt = -Infinity;
  /** Loads done; searches answered by the index; searches it left to the database (not loaded, or not evaluated). For GET /metrics and tests. */
  loads = 0;
  answered = 0;
  declined = 0;

  /** lagMs: how long a catch-up answers for writes of other processes (HUB_SEARCH_INDEX_LAG_MS; 0: every search catches up). */
  constructor(
    private readonly db: Db,
    private readonly log?: Log,
    private readonly lagMs = 0,
  ) {}

  /**
   * The index at the catalogue's current revision, or null: not loaded (yet), so ask the database.
   * Within `lagMs` of the last catch-up, and with no write of this process since, the index as it
   * is: another process's write is seen within lagMs, this process's own at once.
   */
  current(): Promise<IndexState | null> {
    if (!this.state) {
      this.startLoad();
      return Promise.resolve(null);
    }
    if (this.writing === 0 && this.wroteAt < this.caughtUpAt && performance.now() - this.caughtUpAt < this.lagMs) return Promise.resolve(this.state);
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const next: Promise<IndexState | null> = previous
      .catch(() => {})
      .then(() => {
        if (this.queued === next) this.queued = null;
        this.running = next;
        return this.catchUp();
      })
      .finally(() => {
        if (this.running === next) this.running = null;
      });
    this.queued = next;
    return next;
  }

  /** Resolves once an index is loaded (tests and benchmarks wait for it; searches never do). */
  async ready(): Promise<void> {
    while (!this.state && !this.closed) {
      this.startLoad();
      await this.loading;
    }
  }

  close(): void {
    this.closed = true;
  }

  /** A request of this process that may write has started: searches catch up until it has ended. */
  writeStarted(): void {
    this.writing++;
  }

  writeEnded(): void {
    this.writing = Math.max(0, this.writing - 1);
    this.wroteAt = performance.now();
  }

  /** The job handlers of this process, each run marked as a write (writeStarted … writeEnded). */
  markingWrites<H extends (...args: never[]) => Promise<unknown>>(handlers: Record<string, H>): Record<string, H> {
    const marked = (handler: H) =>
      (async (...args: Parameters<H>) => {
        this.writeStarted();
        try {
          return await handler(...args);
        } finally {
          this.writeEnded();
        }
      }) as H;
    return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, marked(handler)]));
  }

  private async catchUp(): Promise<IndexState | null> {
    const state = this.state;
    if (!state) return null;
    const started = performance.now();
    const changes = await changesSince(this.db, state.revision);
    this.caughtUpAt = started;
    if (changes.revision <= state.revision && changes.ids.length === 0) return state;
    if (changes.ids.includes(EVERYTHING_CHANGED) || !state.apply(changes.ids, changes.rows, changes.revision)) {
      this.state = null;
      this.startLoad();
      return null;
    }
    return state;
  }

  private startLoad(): void {
    if (this.loading || this.closed) return;
    this.loading = this.load()
      .catch((err: unknown) => this.log?.error({ err }, 'loading the search index failed; searches ask the database'))
      .finally(() => {
        this.loading = null;
      });
  }

  private async load(): Promise<void> {
    const started = performance.now();
    const { revision, entries } = await indexStart(this.db);
    const builder = new IndexBuilder(Math.ceil(entries * (1 + RECENT_SHARE)) + RECENT_MIN);
    let after: string | null = null;
    for (;;) {
      if (this.closed) return;
      const rows = await indexedRows(this.db, { after, limit: LOAD_PAGE });
      if (rows.length === 0) break;
      // More entries than counted at the start: the next search loads again.
      if (!builder.add(rows)) return;
      after = rows.at(-1)!.software_id;
    }
    this.state = builder.finish(revision);
    this.loads++;
    this.log?.info({ entries: builder.docs.size, ms: Math.round(performance.now() - started) }, 'search index loaded');
  }
}

import { catalogueRevision } from '../../db/queries/search.queries';
import { findNeedRow, lockNeedStatus, needsToRematch, recordMatching, replaceMatches, type NeedRow } from '../../db/queries/needs.queries';
import type { NeedStatus } from '../../db/schema/needs';
import type { HubContext } from '../context';
import { recordEvent } from '../webhooks/events';
import { searchSoftwarePage } from '../search/search.service';

/** Matches shown per need: a short list someone reads, not a search result page. */
const MATCHES_PER_NEED = 5;
/** Words of the description added when the title alone finds nothing (bounded: long texts only blur the ranking). */
const DESCRIPTION_WORDS = 12;
/** Needs re-matched per scheduled run; the rest follow in the next run (the oldest first). */
const NEEDS_PER_RUN = 200;

/**
 * The search engine's answer for a need: its title first (the most specific words), then, when
 * that finds nothing, title and the start of the description (the search falls back to entries
 * with any of the words, best first). The explanation keeps the query, mode, fields and snippet.
 */
async function searchFor(hub: HubContext, need: NeedRow) {
  const queries = [need.title, `${need.title} ${need.description.split(/\s+/).slice(0, DESCRIPTION_WORDS).join(' ')}`];
  for (const q of queries) {
    const page = await searchSoftwarePage(hub, { q, limit: MATCHES_PER_NEED });
    if (page.items.length > 0) {
      return page.items.map((item, index) => ({
        softwareId: item.id,
        rank: index + 1,
        score: item.search?.score ?? 0,
        explanation: { query: q, mode: page.query?.mode ?? 'exact', matched: item.search?.matched ?? [], snippet: item.search?.snippet ?? null },
      }));
    }
  }
  return [];
}

/** open ↔ matched follow the matches; in progress and closed are the organisation's word and stay. */
function statusAfter(current: NeedStatus, found: number): NeedStatus {
  if (current === 'open' && found > 0) return 'matched';
  if (current === 'matched' && found === 0) return 'open';
  return current;
}

/** Idempotent: running it twice stores the same matches. */
export async function matchNeed(hub: HubContext, needId: string) {
  const need = await findNeedRow(hub.db, needId);
  if (!need || need.status === 'closed') return;
  // Read before searching: a catalogue change during the search leaves the need due for the next run.
  const revision = await catalogueRevision(hub.db);
  const matches = await searchFor(hub, need);
  await hub.db.transaction(async (tx) => {
    // The status read before the search may be stale: the organisation can set "in progress" or
    // close the need meanwhile, and the matching must not write the old status back over it.
    const current = await lockNeedStatus(tx, need.id);
    if (current === null || current === 'closed') return;
    await replaceMatches(tx, need.id, matches);
    const status = statusAfter(current, matches.length);
    await recordMatching(tx, need.id, { revision, status });
    // Told once, when the need finds software (open → matched), not on every re-match.
    if (current === 'open' && status === 'matched') {
      await recordEvent(tx, { type: 'need.matched', organisationId: need.organisationId, data: { needId: need.id, title: need.title, matches: matches.map((m) => ({ softwareId: m.softwareId, rank: m.rank })) } });
    }
  });
}

/** The scheduled run: needs still looking whose matches predate the current catalogue. */
export async function rematchNeeds(hub: HubContext) {
  const revision = await catalogueRevision(hub.db);
  const due = await needsToRematch(hub.db, revision, NEEDS_PER_RUN);
  for (const { id } of due) await matchNeed(hub, id);
  return due.length;
}
